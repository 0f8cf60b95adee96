/** Hand-built TypeNodes for the apply tests: a small Deployment and ConfigMap, as the schemas would give. */
import { scalar, untyped, type ListNode, type MapNode, type StructNode, type TypeNode } from '../../../reconciler/api/schema/type-node.js'

/** A struct from a field table; field types may be thunks for recursion. */
export function struct(fields: Record<string, TypeNode | (() => TypeNode)>, atomic = false): StructNode {
  const node: StructNode = {
    kind: 'struct',
    field: (name) => {
      if (!Object.hasOwn(fields, name)) return undefined
      const f = fields[name]
      return typeof f === 'function' ? f() : f
    },
    fieldNames: () => Object.keys(fields),
  }
  if (atomic) node.atomic = true
  return node
}

export const map = (values: TypeNode = scalar, atomic = false): MapNode => (atomic ? { kind: 'map', values: () => values, atomic } : { kind: 'map', values: () => values })
export const atomicList = (items: TypeNode = scalar): ListNode => ({ kind: 'list', listType: 'atomic', items: () => items })
export const setList = (items: TypeNode = scalar): ListNode => ({ kind: 'list', listType: 'set', items: () => items })
export const mapList = (keys: string[], items: TypeNode, keyDefaults?: Record<string, string>): ListNode =>
  Object.assign({ kind: 'list', listType: 'map', keys, items: () => items } as ListNode, keyDefaults ? { keyDefaults } : {})

export const objectMeta = struct({
  name: scalar,
  namespace: scalar,
  uid: scalar,
  resourceVersion: scalar,
  generation: scalar,
  creationTimestamp: scalar,
  labels: map(),
  annotations: map(),
  finalizers: setList(),
  managedFields: atomicList(untyped),
})

export const containerPort = struct({ name: scalar, containerPort: scalar, protocol: scalar, hostPort: scalar })
export const envVar = struct({ name: scalar, value: scalar })
export const container = struct({
  name: scalar,
  image: scalar,
  args: atomicList(),
  command: atomicList(),
  ports: mapList(['containerPort', 'protocol'], containerPort, { protocol: 'TCP' }),
  env: mapList(['name'], envVar),
  resources: struct({ limits: map(), requests: map() }),
  terminationMessagePath: scalar,
})

export const podSpec = struct({
  containers: mapList(['name'], container),
  nodeSelector: map(undefined, true),
  tolerations: atomicList(untyped),
  securityContext: struct({ runAsUser: scalar }),
})

export const deployment: StructNode = struct({
  apiVersion: scalar,
  kind: scalar,
  metadata: objectMeta,
  spec: struct({
    replicas: scalar,
    selector: struct({ matchLabels: map() }, true),
    strategy: struct({ type: scalar, rollingUpdate: struct({ maxSurge: scalar, maxUnavailable: scalar }) }),
    progressDeadlineSeconds: scalar,
    template: struct({ metadata: objectMeta, spec: podSpec }),
  }),
  status: struct({ replicas: scalar, readyReplicas: scalar }),
})

export const configMap: StructNode = struct({ apiVersion: scalar, kind: scalar, metadata: objectMeta, data: map() })
