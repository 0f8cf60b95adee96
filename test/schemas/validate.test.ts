import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { validateObject } from '../../reconciler/api/schema/index.js'
import { deployment, hpa, ingress, nodePool, service, syncRecord } from './examples.js'

/** A deep copy of `base` changed by `edit`. */
function edited<T>(base: T, edit: (o: any) => void): T { // any: tests poke at arbitrary paths
  const copy = structuredClone(base)
  edit(copy)
  return copy
}

const valid = suite('validateObject: valid objects')

const validCases = [
  { name: 'Deployment with probes, securityContext, affinity', kind: 'Deployment', obj: deployment },
  { name: 'Service', kind: 'Service', obj: service },
  { name: 'HorizontalPodAutoscaler v2', kind: 'HorizontalPodAutoscaler', obj: hpa },
  { name: 'Ingress with TLS', kind: 'Ingress', obj: ingress },
  { name: 'NodePool', kind: 'NodePool', obj: nodePool },
  { name: 'SyncRecord', kind: 'SyncRecord', obj: syncRecord },
  { name: 'ConfigMap', kind: 'ConfigMap', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } } },
  { name: 'Secret with base64 data', kind: 'Secret', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { pw: 'aHVudGVyMg==' }, stringData: { x: 'y' }, type: 'Opaque' } },
  { name: 'Namespace', kind: 'Namespace', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } },
  { name: 'null fields count as absent', kind: 'Deployment', obj: edited(deployment, (d) => { d.spec.replicas = null; d.status = null }) },
  { name: 'IntOrString as integer and string', kind: 'Service', obj: edited(service, (s) => { s.spec.ports.push({ name: 'x', port: 81, targetPort: 8081 }) }) },
  { name: 'Quantity as number', kind: 'NodePool', obj: edited(nodePool, (p) => { p.spec.machineType.cpu = 4 }) },
]

for (const c of validCases) {
  valid(c.name, () => {
    assert.equal(validateObject(c.kind, c.obj), [])
  })
}

const invalid = suite('validateObject: causes')

const invalidCases = [
  {
    name: 'typo in a spec field',
    kind: 'Deployment',
    obj: edited(deployment, (d) => { d.spec.replica = 3 }),
    want: [{ reason: 'UnknownField', field: 'spec.replica', message: 'unknown field "spec.replica"' }],
  },
  {
    name: 'typo in a container field',
    kind: 'Deployment',
    obj: edited(deployment, (d) => { d.spec.template.spec.containers[0].imagee = 'x' }),
    want: [{ reason: 'UnknownField', field: 'spec.template.spec.containers[0].imagee', message: 'unknown field "spec.template.spec.containers[0].imagee"' }],
  },
  {
    name: 'typo at the top level',
    kind: 'Service',
    obj: edited(service, (s) => { s.sepc = {} }),
    want: [{ reason: 'UnknownField', field: 'sepc' }],
  },
  {
    name: 'wrong type: replicas as a string',
    kind: 'Deployment',
    obj: edited(deployment, (d) => { d.spec.replicas = 'three' }),
    want: [{ reason: 'FieldValueTypeInvalid', field: 'spec.replicas' }],
  },
  {
    name: 'wrong type: label value',
    kind: 'Deployment',
    obj: edited(deployment, (d) => { d.metadata.labels.tier = 1 }),
    want: [{ reason: 'FieldValueTypeInvalid', field: 'metadata.labels[tier]' }],
  },
  {
    name: 'wrong type: opaque field is still an object',
    kind: 'Deployment',
    obj: edited(deployment, (d) => { d.spec.template.spec.containers[0].livenessProbe = 'yes' }),
    want: [{ reason: 'FieldValueTypeInvalid', field: 'spec.template.spec.containers[0].livenessProbe' }],
  },
  {
    name: 'wrong type: IntOrString given a boolean',
    kind: 'Service',
    obj: edited(service, (s) => { s.spec.ports[0].targetPort = true }),
    want: [{ reason: 'FieldValueTypeInvalid', field: 'spec.ports[0].targetPort' }],
  },
  {
    name: 'missing required fields',
    kind: 'Deployment',
    obj: edited(deployment, (d) => { delete d.spec.selector; d.spec.template.spec.containers.push({ image: 'x' }) }),
    want: [
      { reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' },
      { reason: 'FieldValueRequired', field: 'spec.template.spec.containers[1].name', message: 'Required value' },
    ],
  },
  {
    name: 'enum miss lists the supported values',
    kind: 'Deployment',
    obj: edited(deployment, (d) => { d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes' }),
    want: [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.template.spec.containers[0].imagePullPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      },
    ],
  },
  {
    name: 'SyncRecord result outside its closed set',
    kind: 'SyncRecord',
    obj: edited(syncRecord, (r) => { r.spec.result = 'Maybe'; r.spec.changes[0].action = 'destroy' }),
    want: [
      { reason: 'FieldValueNotSupported', field: 'spec.result' },
      { reason: 'FieldValueNotSupported', field: 'spec.changes[0].action' },
    ],
  },
  {
    name: 'NodePool: negative count, missing machine type',
    kind: 'NodePool',
    obj: edited(nodePool, (p) => { p.spec.nodesPerZone = -1; delete p.spec.machineType }),
    want: [
      { reason: 'FieldValueInvalid', field: 'spec.nodesPerZone' },
      { reason: 'FieldValueRequired', field: 'spec.machineType' },
    ],
  },
  {
    name: 'Secret data that is not base64',
    kind: 'Secret',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { pw: 'not base64!' } },
    want: [{ reason: 'FieldValueInvalid', field: 'data[pw]' }],
  },
  {
    name: 'metadata timestamp that is not RFC 3339',
    kind: 'ConfigMap',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: 'yesterday' } },
    want: [{ reason: 'FieldValueInvalid', field: 'metadata.creationTimestamp' }],
  },
  {
    name: 'several problems at once',
    kind: 'Ingress',
    obj: edited(ingress, (i) => { i.spec.rules[0].http.paths[0].pathType = 'Glob'; i.spec.tls[0].host = 'x'; i.spec.rules[0].http.paths[0].backend.service.port.number = '80' }),
    want: [
      { reason: 'UnknownField', field: 'spec.tls[0].host' },
      { reason: 'FieldValueNotSupported', field: 'spec.rules[0].http.paths[0].pathType' },
      { reason: 'FieldValueTypeInvalid', field: 'spec.rules[0].http.paths[0].backend.service.port.number' },
    ],
  },
]

const byField = (a: { field?: string; reason: string }, b: { field?: string; reason: string }) =>
  `${a.field}|${a.reason}`.localeCompare(`${b.field}|${b.reason}`)

for (const c of invalidCases) {
  invalid(c.name, () => {
    const got = validateObject(c.kind, c.obj)
    const wantMessages = c.want.every((w) => 'message' in w)
    const shape = got.map((g) => (wantMessages ? g : { reason: g.reason, field: g.field }))
    const want = c.want.map((w) => (wantMessages ? w : { reason: w.reason, field: w.field }))
    assert.equal(shape.sort(byField), [...want].sort(byField))
  })
}

invalid('the object is left as it was (nulls are dropped on a copy)', () => {
  const obj = edited(deployment, (d) => { d.spec.paused = null })
  validateObject('Deployment', obj)
  assert.is((obj.spec as Record<string, unknown>).paused, null)
})

invalid('an unknown kind throws', () => {
  assert.throws(() => validateObject('Widget', {}))
})

valid.run()
invalid.run()
