/**
 * Conversion of legacy apiVersions to the versions capstan stores, on the way in. Each conversion
 * returns the warning kube-apiserver gives for the old version, naming the current one.
 */
import { hpaFromV1 } from './hpa-v1.js'
import { badRequest } from './errors.js'
import { isPlainObject, type KObject } from './object.js'

type Obj = Record<string, unknown>

interface Legacy {
  /** Version when it was deprecated / removed (for the warning). */
  deprecated?: string
  removed?: string
  target: string
  convert: (obj: KObject) => void
}

function setIfAbsent(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined) o[key] = value
}

/** Old Deployment/ReplicaSet APIs defaulted the selector to the template's labels. */
function defaultSelectorFromTemplate(obj: KObject): void {
  const spec = isPlainObject(obj.spec) ? obj.spec : undefined
  if (!spec || spec.selector !== undefined) return
  const template = isPlainObject(spec.template) ? spec.template : undefined
  const labels = template && isPlainObject(template.metadata) ? template.metadata.labels : undefined
  if (isPlainObject(labels)) spec.selector = { matchLabels: { ...labels } }
}

/** extensions/v1beta1 defaulted rolling updates to 1 unavailable and 1 surge, not 25%. */
function extensionsRollingDefaults(obj: KObject): void {
  const spec = isPlainObject(obj.spec) ? obj.spec : undefined
  if (!spec) return
  if (!isPlainObject(spec.strategy)) spec.strategy = {}
  const strategy = spec.strategy as Obj
  setIfAbsent(strategy, 'type', 'RollingUpdate')
  if (strategy.type !== 'RollingUpdate') return
  if (!isPlainObject(strategy.rollingUpdate)) strategy.rollingUpdate = {}
  setIfAbsent(strategy.rollingUpdate as Obj, 'maxUnavailable', 1)
  setIfAbsent(strategy.rollingUpdate as Obj, 'maxSurge', 1)
}

/** `rollbackTo` existed only in the beta Deployment APIs; rollbacks are `rollout undo` now. */
function dropRollbackTo(obj: KObject): void {
  if (isPlainObject(obj.spec)) delete obj.spec.rollbackTo
}

/** A v1beta1 Ingress backend `{serviceName, servicePort}` in the v1 form `{service: {name, port}}`. */
function convertIngressBackend(b: unknown): unknown {
  if (!isPlainObject(b)) return b
  if (b.serviceName === undefined && b.servicePort === undefined) return b
  const { serviceName, servicePort, ...rest } = b
  const port = typeof servicePort === 'number' ? { number: servicePort } : /^\d+$/.test(String(servicePort)) ? { number: Number(servicePort) } : { name: servicePort }
  return { ...rest, service: { name: serviceName, port } }
}

function convertIngress(obj: KObject): void {
  const spec = isPlainObject(obj.spec) ? obj.spec : undefined
  if (!spec) return
  if (spec.backend !== undefined) {
    spec.defaultBackend = convertIngressBackend(spec.backend)
    delete spec.backend
  }
  if (!Array.isArray(spec.rules)) return
  for (const rule of spec.rules) {
    const http = isPlainObject(rule) && isPlainObject(rule.http) ? rule.http : undefined
    if (!http || !Array.isArray(http.paths)) continue
    for (const p of http.paths) {
      if (!isPlainObject(p)) continue
      p.backend = convertIngressBackend(p.backend)
      setIfAbsent(p, 'pathType', 'ImplementationSpecific')
    }
  }
}

const noop = (): void => {}

const legacy: Record<string, Legacy> = {
  'extensions/v1beta1/Deployment': {
    deprecated: '1.9',
    removed: '1.16',
    target: 'apps/v1',
    convert: (o) => (defaultSelectorFromTemplate(o), extensionsRollingDefaults(o), dropRollbackTo(o)),
  },
  'apps/v1beta1/Deployment': {
    deprecated: '1.9',
    removed: '1.16',
    target: 'apps/v1',
    convert: (o) => (defaultSelectorFromTemplate(o), dropRollbackTo(o)),
  },
  'apps/v1beta2/Deployment': { deprecated: '1.9', removed: '1.16', target: 'apps/v1', convert: noop },
  'extensions/v1beta1/ReplicaSet': { deprecated: '1.9', removed: '1.16', target: 'apps/v1', convert: defaultSelectorFromTemplate },
  'apps/v1beta2/ReplicaSet': { deprecated: '1.9', removed: '1.16', target: 'apps/v1', convert: noop },
  'extensions/v1beta1/Ingress': { deprecated: '1.14', removed: '1.22', target: 'networking.k8s.io/v1', convert: convertIngress },
  'networking.k8s.io/v1beta1/Ingress': { deprecated: '1.19', removed: '1.22', target: 'networking.k8s.io/v1', convert: convertIngress },
  'autoscaling/v1/HorizontalPodAutoscaler': { target: 'autoscaling/v2', convert: hpaFromV1 },
  'autoscaling/v2beta2/HorizontalPodAutoscaler': { deprecated: '1.23', removed: '1.26', target: 'autoscaling/v2', convert: noop },
}

/** Result of bringing an object to its stored version. */
export interface Converted {
  object: KObject
  /** Set when the object came in at a legacy version: the warning to show the user. */
  warning?: string
}

/** True when `apiVersion` + `kind` is a legacy version capstan converts. */
export function isLegacy(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in legacy
}

/**
 * Converts `obj` (in place) from a legacy apiVersion to the stored one, or returns it unchanged
 * when it is already current. `storedApiVersion` is the kind's current apiVersion.
 */
export function convertToStored(obj: KObject, storedApiVersion: string): Converted {
  if (obj.apiVersion === storedApiVersion) return { object: obj }
  const rule = legacy[`${obj.apiVersion}/${obj.kind}`]
  if (!rule || rule.target !== storedApiVersion) {
    throw badRequest(`no kind "${obj.kind}" is registered for version "${obj.apiVersion}"`)
  }
  const from = obj.apiVersion
  rule.convert(obj)
  obj.apiVersion = rule.target
  // A version still served (autoscaling/v1) converts silently, as kube-apiserver's do; a removed one warns.
  if (!rule.deprecated) return { object: obj }
  return { object: obj, warning: `${from} ${obj.kind} is deprecated in v${rule.deprecated}+, unavailable in v${rule.removed}+; use ${rule.target} ${obj.kind}` }
}
