import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { typeNodeFor, type TypeNode } from '../../reconciler/api/schema/index.js'

/** Follows a path of field names (`[]` steps into list items, `*` into map values). */
function at(kind: string, path: string[]): TypeNode | undefined {
  let node: TypeNode | undefined = typeNodeFor(kind)
  for (const step of path) {
    if (!node) return undefined
    if (step === '[]') node = node.kind === 'list' ? node.items() : undefined
    else if (step === '*') node = node.kind === 'map' ? node.values() : undefined
    else node = node.kind === 'struct' ? node.field(step) : undefined
  }
  return node
}

/** The comparable part of a node: kind, list type, keys, atomic. */
function shape(node: TypeNode | undefined): Record<string, unknown> | undefined {
  if (!node) return undefined
  const out: Record<string, unknown> = { kind: node.kind }
  if (node.kind === 'list') {
    out.listType = node.listType
    if (node.keys) out.keys = node.keys
  }
  if ((node.kind === 'struct' || node.kind === 'map') && node.atomic) out.atomic = true
  return out
}

const podSpec = ['spec', 'template', 'spec']
const container = [...podSpec, 'containers', '[]']

const cases = [
  { name: 'containers: map keyed by name', kind: 'Deployment', path: [...podSpec, 'containers'], want: { kind: 'list', listType: 'map', keys: ['name'] } },
  { name: 'ports: map keyed by containerPort+protocol', kind: 'Deployment', path: [...container, 'ports'], want: { kind: 'list', listType: 'map', keys: ['containerPort', 'protocol'] } },
  { name: 'env: map keyed by name', kind: 'Deployment', path: [...container, 'env'], want: { kind: 'list', listType: 'map', keys: ['name'] } },
  { name: 'args: atomic', kind: 'Deployment', path: [...container, 'args'], want: { kind: 'list', listType: 'atomic' } },
  { name: 'command: atomic', kind: 'Pod', path: ['spec', 'containers', '[]', 'command'], want: { kind: 'list', listType: 'atomic' } },
  { name: 'volumes: map keyed by name', kind: 'ReplicaSet', path: [...podSpec, 'volumes'], want: { kind: 'list', listType: 'map', keys: ['name'] } },
  { name: 'finalizers: set', kind: 'ConfigMap', path: ['metadata', 'finalizers'], want: { kind: 'list', listType: 'set' } },
  { name: 'Service ports: map keyed by port+protocol', kind: 'Service', path: ['spec', 'ports'], want: { kind: 'list', listType: 'map', keys: ['port', 'protocol'] } },
  { name: 'labels: map', kind: 'Deployment', path: ['metadata', 'labels'], want: { kind: 'map' } },
  { name: 'label value: scalar', kind: 'Deployment', path: ['metadata', 'labels', '*'], want: { kind: 'scalar' } },
  { name: 'ConfigMap data: map', kind: 'ConfigMap', path: ['data'], want: { kind: 'map' } },
  { name: 'resources.limits: map of scalars', kind: 'Deployment', path: [...container, 'resources', 'limits'], want: { kind: 'map' } },
  { name: 'selector: atomic struct (x-kubernetes-map-type)', kind: 'Deployment', path: ['spec', 'selector'], want: { kind: 'struct', atomic: true } },
  { name: 'spec: struct', kind: 'Deployment', path: ['spec'], want: { kind: 'struct' } },
  { name: 'maxSurge (IntOrString): scalar', kind: 'Deployment', path: ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], want: { kind: 'scalar' } },
  { name: 'livenessProbe (opaque): untyped', kind: 'Deployment', path: [...container, 'livenessProbe'], want: { kind: 'untyped' } },
  { name: 'ephemeralContainers keep their list keys', kind: 'Pod', path: ['spec', 'ephemeralContainers'], want: { kind: 'list', listType: 'map', keys: ['name'] } },
  { name: 'managedFields fieldsV1: untyped', kind: 'Pod', path: ['metadata', 'managedFields', '[]', 'fieldsV1'], want: { kind: 'untyped' } },
  { name: 'tolerations: atomic', kind: 'Pod', path: ['spec', 'tolerations'], want: { kind: 'list', listType: 'atomic' } },
  { name: 'NodePool taints: map keyed by key+effect', kind: 'NodePool', path: ['spec', 'taints'], want: { kind: 'list', listType: 'map', keys: ['key', 'effect'] } },
  { name: 'NodePool status zones: map keyed by name', kind: 'NodePool', path: ['status', 'zones'], want: { kind: 'list', listType: 'map', keys: ['name'] } },
  { name: 'SyncRecord changes: atomic', kind: 'SyncRecord', path: ['spec', 'changes'], want: { kind: 'list', listType: 'atomic' } },
  { name: 'HPA metrics: atomic', kind: 'HorizontalPodAutoscaler', path: ['spec', 'metrics'], want: { kind: 'list', listType: 'atomic' } },
  { name: 'unknown field: undefined', kind: 'Deployment', path: ['spec', 'replica'], want: undefined },
]

const typeNode = suite('typeNodeFor')

for (const c of cases) {
  typeNode(c.name, () => {
    assert.equal(shape(at(c.kind, c.path)), c.want)
  })
}

typeNode('struct field names come from the schema', () => {
  const spec = at('Deployment', ['spec'])
  assert.ok(spec && spec.kind === 'struct')
  if (spec.kind === 'struct') assert.ok(spec.fieldNames().includes('replicas') && spec.fieldNames().includes('template'))
})

typeNode('nodes are cached (same object on a second call)', () => {
  assert.is(typeNodeFor('Deployment'), typeNodeFor('Deployment'))
  assert.is(at('Deployment', [...podSpec]), at('ReplicaSet', [...podSpec]))
})

typeNode.run()
