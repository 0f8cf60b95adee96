import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { validateKind, VALIDATED_KINDS } from '../../../../reconciler/api/validation/kinds/index.js'
import { runCases, validate } from './cases.js'
import { event, namespace, node } from './fixtures.js'

const ns = suite('kinds: Namespace')
runCases(ns, namespace, [
  {
    name: 'bare finalizer that is not a standard one',
    mutate: (o) => (o.spec = { finalizers: ['cleanup'] }),
    field: 'spec.finalizers',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
  },
  { name: 'finalizer not a qualified name', mutate: (o) => (o.spec = { finalizers: ['example.com/a/b'] }), field: 'spec.finalizers', reason: 'FieldValueInvalid' },
])
ns('a domain-qualified finalizer is fine', () => {
  const n = namespace()
  n.spec = { finalizers: ['kubernetes', 'example.com/cleanup'] }
  assert.equal(validate(n), [])
})
ns.run()

const nd = suite('kinds: Node')
runCases(nd, node, [
  {
    name: 'taint effect unknown (Kubernetes reports it under metadata.taints)',
    mutate: (o) => (o.spec.taints[0].effect = 'NoRun'),
    field: 'metadata.taints[0].effect',
    reason: 'FieldValueNotSupported',
  },
  { name: 'taint effect required', mutate: (o) => delete o.spec.taints[0].effect, field: 'metadata.taints[0].effect', reason: 'FieldValueRequired' },
  { name: 'taint key invalid', mutate: (o) => (o.spec.taints[0].key = 'bad key'), field: 'metadata.taints[0].key', reason: 'FieldValueInvalid' },
  {
    name: 'taints repeated by key and effect',
    mutate: (o) => o.spec.taints.push({ key: 'dedicated', value: 'api', effect: 'NoSchedule' }),
    field: 'metadata.taints[1]',
    reason: 'FieldValueDuplicate',
  },
  {
    name: 'podCIDR not a CIDR',
    mutate: (o) => (o.spec.podCIDR = '10.244.1.0'),
    field: 'spec.podCIDRs[0]',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: "10.244.1.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  },
  { name: 'two IPv4 podCIDRs', mutate: (o) => (o.spec.podCIDRs = ['10.244.1.0/24', '10.245.1.0/24']), field: 'spec.podCIDRs', reason: 'FieldValueInvalid' },
  { name: 'capacity not a quantity', mutate: (o) => (o.status.capacity.cpu = 'four'), field: 'status.capacity.cpu', reason: 'FieldValueInvalid' },
  { name: 'podCIDR changed on update', update: true, mutate: (o) => (o.spec.podCIDR = '10.244.9.0/24'), field: 'spec.podCIDRs', reason: 'FieldValueForbidden' },
  { name: 'providerID changed on update', update: true, mutate: (o) => (o.spec.providerID = 'other://x'), field: 'spec.providerID', reason: 'FieldValueForbidden' },
])
nd('unschedulable may be toggled and a podCIDR set for the first time', () => {
  const before = node()
  delete (before.spec as Record<string, unknown>).podCIDR
  const now = node()
  ;(now.spec as Record<string, unknown>).unschedulable = true
  assert.equal(validate(now, before), [])
})
nd.run()

const ev = suite('kinds: Event')
runCases(ev, event, [
  {
    name: 'involvedObject in another namespace',
    mutate: (o) => (o.involvedObject.namespace = 'shop'),
    field: 'involvedObject.namespace',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: "shop": does not match event.namespace',
  },
  {
    name: 'an eventTime event needs its reporter',
    mutate: (o) => (o.eventTime = '2026-01-01T00:00:00.000000Z'),
    field: 'reportingInstance',
    reason: 'FieldValueRequired',
  },
])
ev('an event about a cluster-scoped object lives in default', () => {
  const e = event()
  e.involvedObject = { kind: 'Node', name: 'node-1' }
  assert.equal(validate(e), [])
})
ev.run()

const dispatch = suite('kinds: validateKind')
dispatch('knows every kind capstan serves', () => {
  for (const k of ['Namespace', 'ConfigMap', 'Secret', 'Service', 'Endpoints', 'Deployment', 'ReplicaSet', 'Pod', 'Node', 'Event', 'HorizontalPodAutoscaler', 'Ingress', 'NodePool', 'SyncRecord']) {
    assert.ok(VALIDATED_KINDS.includes(k), k)
  }
})
dispatch('an unknown kind has nothing to check', () => {
  assert.equal(validateKind({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }), [])
})
dispatch('ConfigMap and Secret are delegated to config-data', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { 'bad key': 'x', good: 'y' } }
  assert.equal(
    validateKind(cm).map((c) => [c.field, c.reason]),
    [['data[bad key]', 'FieldValueInvalid']],
  )
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, type: 'Opaque', data: { k: 'dmFsdWU=' } }
  assert.equal(validateKind(secret), [])
  const changed = { ...secret, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eA==' } }
  assert.ok(validateKind(changed, secret).some((c) => c.field === 'type' && c.reason === 'FieldValueInvalid'))
})
dispatch.run()
