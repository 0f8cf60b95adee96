/** PodSpec (ValidatePodSpec) and pod templates (ValidatePodTemplateSpec), shared by Pod, Deployment and ReplicaSet. */
import type { StatusCause } from '../../errors.js'
import { inclusiveRangeError, isDNS1123Label, validateName } from '../names.js'
import { validateAnnotations, validateLabels } from '../object-meta.js'
import { podSpecsPassingRules } from '../valid-specs.js'
import { validateContainer, validateHostPorts } from './container.js'
import { arr, child, duplicate, forbidden, index, invalid, notSupported, num, obj, required, str, strMap, type Obj } from './field.js'
import { validateTolerations, validateTopologySpreadConstraints } from './scheduling.js'
import { validateVolumes } from './volumes.js'

/** Restart policies, in Kubernetes' order. */
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never']
/** DNS policies, in Kubernetes' order. */
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']

function validateEnum(value: unknown, allowed: string[], path: string): StatusCause[] {
  const v = str(value)
  if (!v) return [required(path)]
  return allowed.includes(v) ? [] : [notSupported(path, v, allowed)]
}

function validateDNSConfig(spec: Obj, path: string): StatusCause[] {
  const config = obj(spec.dnsConfig)
  if (str(spec.dnsPolicy) !== 'None') return []
  if (!config) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')]
  if (arr(config.nameservers).length === 0) {
    return [required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')]
  }
  return []
}

function validateContainerLists(spec: Obj, volumes: Set<string>, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const containers = arr(spec.containers)
  const cPath = child(path, 'containers')
  const names = new Set<string>()
  if (containers.length === 0) errs.push(required(cPath))
  containers.forEach((raw, i) => {
    const c = obj(raw) ?? {}
    const p = index(cPath, i)
    errs.push(...validateContainer(c, volumes, p, false))
    const name = str(c.name)
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name))
    else names.add(name)
  })
  const hostPorts = new Set<string>()
  errs.push(...validateHostPorts(containers, cPath, hostPorts))

  // Init container names must be unique among themselves and against the regular containers.
  const iPath = child(path, 'initContainers')
  const initContainers = arr(spec.initContainers)
  const initNames = new Set<string>()
  initContainers.forEach((raw, i) => {
    const c = obj(raw) ?? {}
    const p = index(iPath, i)
    errs.push(...validateContainer(c, volumes, p, true))
    const name = str(c.name)
    if (initNames.has(name) || names.has(name)) errs.push(duplicate(child(p, 'name'), name))
    else if (name) initNames.add(name)
  })
  errs.push(...validateHostPorts(initContainers, iPath, new Set<string>()))
  return errs
}

/** ValidatePodSpec: volumes, containers, policies, node selection, tolerations, spread constraints. */
export function validatePodSpec(spec: Obj, path: string): StatusCause[] {
  const { errs, names } = validateVolumes(spec.volumes, child(path, 'volumes'))
  errs.push(...validateContainerLists(spec, names, path))
  errs.push(...validateEnum(spec.restartPolicy, RESTART_POLICIES, child(path, 'restartPolicy')))
  errs.push(...validateEnum(spec.dnsPolicy, DNS_POLICIES, child(path, 'dnsPolicy')))
  errs.push(...validateLabels(strMap(spec.nodeSelector), child(path, 'nodeSelector')))
  errs.push(...validateDNSConfig(spec, child(path, 'dnsConfig')))
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, child(path, 'topologySpreadConstraints')))
  const sa = str(spec.serviceAccountName)
  if (sa) for (const msg of validateName('subdomain', sa, false)) errs.push(invalid(child(path, 'serviceAccountName'), sa, msg))
  const nodeName = str(spec.nodeName)
  if (nodeName) for (const msg of validateName('subdomain', nodeName, false)) errs.push(invalid(child(path, 'nodeName'), nodeName, msg))
  const ads = num(spec.activeDeadlineSeconds)
  if (ads !== undefined && (ads < 1 || ads > 2147483647)) {
    errs.push(invalid(child(path, 'activeDeadlineSeconds'), ads, inclusiveRangeError(1, 2147483647)))
  }
  for (const f of ['hostname', 'subdomain']) {
    const v = str(spec[f])
    if (v) for (const msg of isDNS1123Label(v)) errs.push(invalid(child(path, f), v, msg))
  }
  errs.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')))
  return errs
}

/**
 * ValidatePodTemplateSpec. Note Kubernetes names the template's labels and annotations
 * `<path>.labels` / `<path>.annotations` (without `metadata`), and so do we.
 */
export function validatePodTemplateSpec(template: Obj, path: string): StatusCause[] {
  const meta = obj(template.metadata) ?? {}
  const errs = validateLabels(strMap(meta.labels), child(path, 'labels'))
  errs.push(...validateAnnotations(strMap(meta.annotations), child(path, 'annotations')))
  // The template of a Deployment or ReplicaSet comes through again on every scale and status-less update.
  const spec = obj(template.spec) ?? {}
  if (!podSpecsPassingRules.has(spec)) {
    const specErrs = validatePodSpec(spec, child(path, 'spec'))
    if (specErrs.length === 0) podSpecsPassingRules.add(spec)
    else errs.push(...specErrs)
  }
  if (arr(obj(template.spec)?.ephemeralContainers).length > 0) {
    errs.push(forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'))
  }
  return errs
}
