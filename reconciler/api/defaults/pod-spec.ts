/** Defaults for PodSpec and containers, as Kubernetes' core/v1 defaulting sets them (pkg/apis/core/v1/defaults.go). */
import { isPlainObject } from '../object.js'

type Obj = Record<string, unknown>

function setIfAbsent(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined) o[key] = value
}

/** `Always` when the image has the `latest` tag or no tag (and no digest); `IfNotPresent` otherwise. */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent'
  if (image.includes('@')) return 'IfNotPresent'
  const lastSlash = image.lastIndexOf('/')
  const colon = image.indexOf(':', lastSlash + 1)
  if (colon < 0) return 'Always'
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent'
}

function defaultContainer(c: Obj): void {
  setIfAbsent(c, 'terminationMessagePath', '/dev/termination-log')
  setIfAbsent(c, 'terminationMessagePolicy', 'File')
  setIfAbsent(c, 'imagePullPolicy', defaultPullPolicy(c.image))
  if (c.resources === undefined) c.resources = {}
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) setIfAbsent(p, 'protocol', 'TCP')
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      const ref = isPlainObject(e) && isPlainObject(e.valueFrom) ? e.valueFrom.fieldRef : undefined
      if (isPlainObject(ref)) setIfAbsent(ref, 'apiVersion', 'v1')
    }
  }
}

function defaultVolume(v: Obj): void {
  for (const source of ['configMap', 'secret'] as const) {
    const s = v[source]
    if (isPlainObject(s)) setIfAbsent(s, 'defaultMode', 420)
  }
  if (isPlainObject(v.projected)) setIfAbsent(v.projected, 'defaultMode', 420)
}

/** Defaults a PodSpec in place (used for pod templates and pods). */
export function defaultPodSpec(spec: Obj): void {
  setIfAbsent(spec, 'dnsPolicy', 'ClusterFirst')
  setIfAbsent(spec, 'restartPolicy', 'Always')
  setIfAbsent(spec, 'terminationGracePeriodSeconds', 30)
  setIfAbsent(spec, 'securityContext', {})
  setIfAbsent(spec, 'schedulerName', 'default-scheduler')
  for (const list of ['initContainers', 'containers'] as const) {
    const cs = spec[list]
    if (Array.isArray(cs)) for (const c of cs) if (isPlainObject(c)) defaultContainer(c)
  }
  if (Array.isArray(spec.volumes)) for (const v of spec.volumes) if (isPlainObject(v)) defaultVolume(v)
}

/** Defaults a pod template (`spec.template`) in place. */
export function defaultPodTemplate(template: unknown): void {
  if (!isPlainObject(template)) return
  if (template.metadata === undefined) template.metadata = {}
  if (isPlainObject(template.spec)) defaultPodSpec(template.spec)
}

/**
 * Defaults a Pod's spec in place: the PodSpec defaults, those SetDefaults_Pod adds, and what the
 * default admission plugins set on a cluster (service account, priority, the not-ready and
 * unreachable tolerations of 300 s).
 */
export function defaultPod(spec: Obj): void {
  defaultPodSpec(spec)
  setIfAbsent(spec, 'enableServiceLinks', true)
  setIfAbsent(spec, 'serviceAccountName', 'default')
  setIfAbsent(spec, 'serviceAccount', spec.serviceAccountName)
  setIfAbsent(spec, 'priority', 0)
  setIfAbsent(spec, 'preemptionPolicy', 'PreemptLowerPriority')
  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Obj[]) : []
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tolerations.some((t) => isPlainObject(t) && (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (t.effect === undefined || t.effect === 'NoExecute'))
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })
  }
  spec.tolerations = tolerations
  // Resource requests default to the limits when only limits are given (SetDefaults_Pod).
  for (const list of ['initContainers', 'containers'] as const) {
    const cs = spec[list]
    if (!Array.isArray(cs)) continue
    for (const c of cs) {
      if (!isPlainObject(c) || !isPlainObject(c.resources) || !isPlainObject(c.resources.limits)) continue
      const requests = isPlainObject(c.resources.requests) ? c.resources.requests : {}
      for (const [name, q] of Object.entries(c.resources.limits)) setIfAbsent(requests, name, q)
      c.resources.requests = requests
    }
  }
}
