import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { isApiError } from '../../../reconciler/api/errors.js'
import {
  convertFieldSelector,
  fieldSelectorMatches,
  parseFieldSelector,
  selectableFields,
  supportedFields,
} from '../../../reconciler/api/selectors/field-selector.js'

function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    assert.ok(isApiError(e, 'BadRequest'))
    return (e as Error).message
  }
  throw new Error('no error')
}

const parse = suite('parseFieldSelector')

const ok: Array<{ name: string; input: string; reqs: Array<[string, string, string]>; text: string }> = [
  { name: 'equals', input: 'metadata.name=web', reqs: [['metadata.name', '=', 'web']], text: 'metadata.name=web' },
  { name: 'double equals is equals', input: 'a==b', reqs: [['a', '=', 'b']], text: 'a=b' },
  { name: 'not equals', input: 'status.phase!=Running', reqs: [['status.phase', '!=', 'Running']], text: 'status.phase!=Running' },
  {
    name: 'terms sorted, empty terms skipped',
    input: 'z=1,,a=2',
    reqs: [
      ['a', '=', '2'],
      ['z', '=', '1'],
    ],
    text: 'a=2,z=1',
  },
  { name: 'escaped comma and equals', input: 'a=x\\,y\\=z\\\\', reqs: [['a', '=', 'x,y=z\\']], text: 'a=x\\,y\\=z\\\\' },
  { name: 'empty value', input: 'spec.nodeName=', reqs: [['spec.nodeName', '=', '']], text: 'spec.nodeName=' },
  { name: 'empty selector', input: '', reqs: [], text: '' },
]
for (const c of ok) {
  parse(c.name, () => {
    const s = parseFieldSelector(c.input)
    assert.equal(
      s.requirements.map((r) => [r.field, r.operator, r.value]),
      c.reqs,
    )
    assert.is(s.toString(), c.text)
  })
}

const bad: Array<{ name: string; input: string; message: string }> = [
  { name: 'no operator', input: 'a=b,c', message: "invalid selector: 'a=b,c'; can't understand 'c'" },
  { name: 'unknown escape', input: 'a=\\x', message: 'invalid field selector: invalid escape sequence: \\x' },
  { name: 'trailing backslash', input: 'a=b\\', message: 'invalid field selector: invalid escape sequence: \\' },
  { name: 'bare equals in value (Go prints the rune number)', input: 'a=b=c', message: 'invalid field selector: unescaped character in value: 61' },
]
for (const c of bad) {
  parse(`error: ${c.name}`, () => {
    assert.is(errorOf(() => parseFieldSelector(c.input)), c.message)
  })
}
parse.run()

const kinds = suite('field selectors per kind')

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'prod' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] },
}

const matches: Array<{ name: string; kind: string; obj: unknown; sel: string; want: boolean }> = [
  { name: 'pod by node', kind: 'Pod', obj: pod, sel: 'spec.nodeName=node-a', want: true },
  { name: 'pod by old spec.host', kind: 'Pod', obj: pod, sel: 'spec.host=node-a', want: true },
  { name: 'pod not running', kind: 'Pod', obj: pod, sel: 'status.phase!=Running', want: false },
  { name: 'pod ip from podIPs', kind: 'Pod', obj: pod, sel: 'status.podIP=10.0.0.5', want: true },
  { name: 'pod hostNetwork defaults false', kind: 'Pod', obj: pod, sel: 'spec.hostNetwork=false', want: true },
  { name: 'pod unscheduled', kind: 'Pod', obj: { ...pod, spec: {} }, sel: 'spec.nodeName=', want: true },
  { name: 'pod by name and namespace', kind: 'Pod', obj: pod, sel: 'metadata.name=web-1,metadata.namespace=prod', want: true },
  { name: 'node unschedulable', kind: 'Node', obj: { metadata: { name: 'n' }, spec: { unschedulable: true } }, sel: 'spec.unschedulable=true', want: true },
  { name: 'node schedulable by default', kind: 'Node', obj: { metadata: { name: 'n' } }, sel: 'spec.unschedulable=false', want: true },
  { name: 'secret type', kind: 'Secret', obj: { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls' }, sel: 'type=kubernetes.io/tls', want: true },
  {
    name: 'event source falls back to reportingComponent',
    kind: 'Event',
    obj: { metadata: { name: 'e', namespace: 'd' }, involvedObject: { kind: 'Pod', name: 'web-1' }, reportingComponent: 'kubelet', type: 'Warning' },
    sel: 'involvedObject.kind=Pod,involvedObject.name=web-1,source=kubelet,type=Warning',
    want: true,
  },
  { name: 'namespace phase', kind: 'Namespace', obj: { metadata: { name: 'x' }, status: { phase: 'Terminating' } }, sel: 'status.phase=Active', want: false },
  { name: 'configmap by name', kind: 'ConfigMap', obj: { metadata: { name: 'c', namespace: 'd' } }, sel: 'metadata.name=c', want: true },
  { name: 'empty selector matches any kind', kind: 'Whatever', obj: {}, sel: '', want: true },
]
for (const c of matches) {
  kinds(c.name, () => {
    assert.is(fieldSelectorMatches(parseFieldSelector(c.sel), c.kind, c.obj), c.want)
  })
}

const refused: Array<{ name: string; kind: string; sel: string; message: string }> = [
  { name: 'pod unknown field', kind: 'Pod', sel: 'spec.foo=1', message: 'field label not supported: spec.foo' },
  { name: 'node has no namespace field', kind: 'Node', sel: 'metadata.namespace=x', message: 'field label not supported: metadata.namespace' },
  {
    name: 'replicaset status.replicas (not registered in apps/v1)',
    kind: 'ReplicaSet',
    sel: 'status.replicas=0',
    message: '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
  },
  { name: 'cluster-scoped custom kind', kind: 'NodePool', sel: 'metadata.namespace=x', message: 'field label not supported: metadata.namespace' },
]
for (const c of refused) {
  kinds(`refused: ${c.name}`, () => {
    const sel = parseFieldSelector(c.sel)
    assert.is(errorOf(() => convertFieldSelector(sel, c.kind)), c.message)
    assert.is(errorOf(() => fieldSelectorMatches(sel, c.kind, {})), c.message)
  })
}

kinds('supportedFields', () => {
  assert.equal(supportedFields('Secret'), ['metadata.name', 'metadata.namespace', 'type'])
  assert.equal(supportedFields('Deployment'), ['metadata.name', 'metadata.namespace'])
  assert.equal(supportedFields('Node'), ['metadata.name', 'spec.unschedulable'])
  assert.ok(supportedFields('Pod').includes('status.nominatedNodeName'))
  assert.ok(supportedFields('Event').includes('involvedObject.uid'))
})

kinds('selectableFields omits metadata.namespace for cluster-scoped kinds', () => {
  assert.equal(selectableFields('Node', { metadata: { name: 'n' } }), { 'metadata.name': 'n', 'spec.unschedulable': 'false' })
})
kinds.run()
