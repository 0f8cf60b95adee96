/** Defaulting per kind, applied on every write after merging and before validation. */
import { isPlainObject, type KObject } from '../object.js'
import { defaultPod, defaultPodTemplate } from './pod-spec.js'

type Obj = Record<string, unknown>

function setIfAbsent(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined) o[key] = value
}

function spec(obj: KObject): Obj {
  if (!isPlainObject(obj.spec)) obj.spec = {}
  return obj.spec as Obj
}

function defaultDeployment(obj: KObject): void {
  const s = spec(obj)
  setIfAbsent(s, 'replicas', 1)
  if (!isPlainObject(s.strategy)) s.strategy = {}
  const strategy = s.strategy as Obj
  setIfAbsent(strategy, 'type', 'RollingUpdate')
  if (strategy.type === 'RollingUpdate') {
    if (!isPlainObject(strategy.rollingUpdate)) strategy.rollingUpdate = {}
    const ru = strategy.rollingUpdate as Obj
    setIfAbsent(ru, 'maxUnavailable', '25%')
    setIfAbsent(ru, 'maxSurge', '25%')
  }
  setIfAbsent(s, 'revisionHistoryLimit', 10)
  setIfAbsent(s, 'progressDeadlineSeconds', 600)
  defaultPodTemplate(s.template)
}

function defaultReplicaSet(obj: KObject): void {
  const s = spec(obj)
  setIfAbsent(s, 'replicas', 1)
  defaultPodTemplate(s.template)
}

function defaultService(obj: KObject): void {
  const s = spec(obj)
  setIfAbsent(s, 'type', 'ClusterIP')
  setIfAbsent(s, 'sessionAffinity', 'None')
  if (s.type !== 'ExternalName') setIfAbsent(s, 'internalTrafficPolicy', 'Cluster')
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') setIfAbsent(s, 'externalTrafficPolicy', 'Cluster')
  if (Array.isArray(s.ports)) {
    for (const p of s.ports) {
      if (!isPlainObject(p)) continue
      setIfAbsent(p, 'protocol', 'TCP')
      // SetDefaults_Service: an unset targetPort (absent, 0 or "", as a protobuf body carries it) is the port.
      if (s.type !== 'ExternalName' && (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '')) p.targetPort = p.port
    }
  }
}

function defaultEndpoints(obj: KObject): void {
  if (!Array.isArray(obj.subsets)) return
  for (const subset of obj.subsets) {
    if (isPlainObject(subset) && Array.isArray(subset.ports))
      for (const p of subset.ports) if (isPlainObject(p)) setIfAbsent(p, 'protocol', 'TCP')
  }
}

function defaultNamespace(obj: KObject): void {
  const s = spec(obj)
  setIfAbsent(s, 'finalizers', ['kubernetes'])
  if (!isPlainObject(obj.status)) obj.status = {}
  setIfAbsent(obj.status as Obj, 'phase', 'Active')
  // The API server labels every namespace with its own name (NamespaceDefaultLabelName).
  const name = obj.metadata.name
  if (name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name }
}

function defaultHpa(obj: KObject): void {
  const s = spec(obj)
  setIfAbsent(s, 'minReplicas', 1)
  if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
    s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]
  }
  // When behavior is given, its missing rules are filled with the defaults (SetDefaults_HorizontalPodAutoscalerBehavior).
  if (isPlainObject(s.behavior)) {
    const b = s.behavior
    b.scaleUp = fillRules(b.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    })
    b.scaleDown = fillRules(b.scaleDown, {
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    })
  }
}

function fillRules(rules: unknown, defaults: Obj): Obj {
  if (!isPlainObject(rules)) return { ...defaults }
  const out: Obj = { ...rules }
  for (const [k, v] of Object.entries(defaults)) setIfAbsent(out, k, v)
  return out
}

function defaultSecret(obj: KObject): void {
  setIfAbsent(obj as Obj, 'type', 'Opaque')
}

function defaultNodePool(obj: KObject): void {
  const s = spec(obj)
  if (isPlainObject(s.machineType)) setIfAbsent(s.machineType, 'pods', 110)
}

const byKind: Record<string, (obj: KObject) => void> = {
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  Pod: (obj) => defaultPod(spec(obj)),
  Service: defaultService,
  Endpoints: defaultEndpoints,
  Namespace: defaultNamespace,
  HorizontalPodAutoscaler: defaultHpa,
  Secret: defaultSecret,
  NodePool: defaultNodePool,
}

/** Applies the kind's defaults to `obj` in place. */
export function applyDefaults(obj: KObject): void {
  byKind[obj.kind]?.(obj)
}
