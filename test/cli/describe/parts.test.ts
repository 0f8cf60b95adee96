/** The pieces of describe: tabwriter, ages, event intervals, quantities, metadata blocks, endpoints, dispatch. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ageSince, describeObject, eventInterval, eventsAbout, tabwrite, type EventObject } from '../../../reconciler/cli/describe/index.js'
import { formatEndpoints } from '../../../reconciler/cli/describe/endpoint-list.js'
import { PrefixWriter } from '../../../reconciler/cli/describe/prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline } from '../../../reconciler/cli/describe/print-meta.js'
import { canonicalQuantity } from '../../../reconciler/cli/describe/quantity.js'
import { smartLabelFor } from '../../../reconciler/cli/describe/unstructured.js'

const NOW = new Date('2024-05-01T12:00:00Z')
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString()

const Tab = suite('tabwrite (Go text/tabwriter, minwidth 0, padding 2)')
const tabCases = [
  { name: 'aligns a block to the widest cell plus two', input: 'a:\t1\nlonger:\t2\n', want: 'a:       1\nlonger:  2\n' },
  { name: 'a line without tabs ends the block', input: 'a:\t1\nbreak\nlonger:\t2\n', want: 'a:  1\nbreak\nlonger:  2\n' },
  { name: 'text after the last tab is not padded', input: 'x\t\ny\t\n', want: 'x  \ny  \n' },
  { name: 'a shorter line ends the inner column block', input: 'h\tp\tb\nhost\t\n\t/x \tsvc\n', want: 'h     p  b\nhost  \n      /x   svc\n' },
  { name: 'widths count runes, not bytes', input: 'é:\t1\nab:\t2\n', want: 'é:   1\nab:  2\n' },
]
for (const c of tabCases) Tab(c.name, () => assert.is(tabwrite(c.input), c.want))
Tab.run()

const Age = suite('ageSince (HumanDuration)')
const ageCases = [
  { name: 'missing', ts: undefined, want: '<unknown>' },
  { name: '1s in the future', ts: ago(-1500), want: '0s' },
  { name: 'far future', ts: ago(-5000), want: '<invalid>' },
  { name: 'seconds up to 2m', ts: ago(119_000), want: '119s' },
  { name: 'minutes and seconds under 10m', ts: ago(4 * 60_000 + 58_000), want: '4m58s' },
  { name: 'whole minutes', ts: ago(5 * 60_000), want: '5m' },
  { name: 'minutes under 3h', ts: ago(179 * 60_000), want: '179m' },
  { name: 'hours and minutes under 8h', ts: ago(3 * 3600_000 + 5 * 60_000), want: '3h5m' },
  { name: 'hours under 2d', ts: ago(47 * 3600_000), want: '47h' },
  { name: 'days and hours under 8d', ts: ago(3 * 86400_000 + 2 * 3600_000), want: '3d2h' },
  { name: 'days', ts: ago(30 * 86400_000), want: '30d' },
]
for (const c of ageCases) Age(c.name, () => assert.is(ageSince(c.ts, NOW), c.want))
Age.run()

const Interval = suite('event Age column')
const base: EventObject = { involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' } }
const intervalCases = [
  { name: 'single event: first seen', e: { ...base, count: 1, firstTimestamp: ago(300_000), lastTimestamp: ago(300_000) }, want: '5m' },
  { name: 'counted: last (xN over first)', e: { ...base, count: 3, firstTimestamp: ago(600_000), lastTimestamp: ago(120_000) }, want: '2m (x3 over 10m)' },
  {
    name: 'series: last observed (xN over eventTime)',
    e: { ...base, eventTime: ago(600_000), series: { count: 7, lastObservedTime: ago(30_000) } },
    want: '30s (x7 over 10m)',
  },
  { name: 'no timestamps', e: { ...base }, want: '<unknown>' },
]
for (const c of intervalCases) Interval(c.name, () => assert.is(eventInterval(c.e, NOW), c.want))
Interval('events are matched by name, namespace, kind and uid', () => {
  const events: EventObject[] = [
    { involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default', uid: 'u1' }, reason: 'a' },
    { involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default' }, reason: 'no-uid' },
    { involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default', uid: 'old' }, reason: 'old-uid' },
    { involvedObject: { kind: 'ReplicaSet', name: 'web', namespace: 'default', uid: 'u1' }, reason: 'kind' },
    { involvedObject: { kind: 'Deployment', name: 'web', namespace: 'other', uid: 'u1' }, reason: 'ns' },
  ]
  const got = eventsAbout(events, { name: 'web', namespace: 'default', kind: 'Deployment', uids: ['u1'] }).map((e) => e.reason)
  assert.equal(got, ['a', 'no-uid'])
})
Interval('Events:  <none> when nothing matches; no section when events are not given', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } }
  assert.ok(describeObject(cm, { now: NOW, events: [] }).endsWith('Events:  <none>\n'))
  assert.not.ok(describeObject(cm, { now: NOW }).includes('Events'))
})
Interval.run()

const Qty = suite('canonical quantities (Quantity.String)')
const qtyCases = [
  ['0.5', '500m'], ['1.5', '1500m'], ['2', '2'], ['1000m', '1'], ['100M', '100M'], ['1G', '1G'], ['128Mi', '128Mi'],
  ['1024Ki', '1Mi'], ['1536Mi', '1536Mi'], ['512', '512'], ['0.5Gi', '512Mi'], ['1e3', '1e3'], ['0', '0'], ['1.1e5', '110e3'],
]
for (const [input, want] of qtyCases) Qty(`${input} → ${want}`, () => assert.is(canonicalQuantity(input), want))
Qty.run()

const Meta = suite('Labels / Annotations / Tolerations blocks')
const block = (fn: (w: PrefixWriter) => void): string => {
  const w = new PrefixWriter()
  fn(w)
  return w.toString()
}
Meta('labels: first on the title line, the rest indented, sorted; <none> when empty', () => {
  assert.is(block((w) => printLabelsMultiline(w, 'Labels', { b: '2', a: '1' })), 'Labels:  a=1\n         b=2\n')
  assert.is(block((w) => printLabelsMultiline(w, 'Labels', {})), 'Labels:  <none>\n')
})
Meta('annotations: last-applied-configuration skipped, long values under their key', () => {
  const long = 'x'.repeat(200)
  const out = block((w) => printAnnotationsMultiline(w, 'Annotations', { 'kubectl.kubernetes.io/last-applied-configuration': '{}', k: long }))
  assert.is(out, `Annotations:  k:\n                ${'x'.repeat(138)}...\n`)
  assert.is(block((w) => printAnnotationsMultiline(w, 'Annotations', { 'kubectl.kubernetes.io/last-applied-configuration': '{}' })), 'Annotations:  <none>\n')
})
Meta('tolerations: key=value:effect, op=Exists, for Ns', () => {
  const out = block((w) =>
    printTolerationsMultiline(w, 'Tolerations', [
      { key: 'b', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
      { operator: 'Exists' },
      { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]),
  )
  assert.is(out, 'Tolerations:  op=Exists\n              a:NoExecute op=Exists for 300s\n              b=v:NoSchedule\n')
})
Meta('smartLabelFor', () => {
  assert.is(smartLabelFor('apiVersion'), 'API Version')
  assert.is(smartLabelFor('creationTimestamp'), 'Creation Timestamp')
  assert.is(smartLabelFor('podCIDR'), 'Pod CIDR')
  assert.is(smartLabelFor('x.y'), 'x.y')
})
Meta.run()

const Eps = suite('endpoints of a service port')
const epsObj = (subsets: unknown[]) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 's', namespace: 'd' }, subsets })
const epsCases = [
  { name: 'no Endpoints object', eps: undefined, want: '<none>' },
  { name: 'no subsets (placeholder)', eps: epsObj([]), want: '' },
  { name: 'ready only, named port filter', eps: epsObj([{ addresses: [{ ip: '1.1.1.1' }], notReadyAddresses: [{ ip: '2.2.2.2' }], ports: [{ name: 'http', port: 80 }, { name: 'm', port: 9 }] }]), ports: new Set(['http']), want: '1.1.1.1:80' },
  { name: 'more than three', eps: epsObj([{ addresses: ['a', 'b', 'c', 'd', 'e'].map((ip) => ({ ip })), ports: [{ port: 8 }] }]), want: 'a:8,b:8,c:8 + 2 more...' },
  { name: 'headless without ports', eps: epsObj([{ addresses: [{ ip: '1.1.1.1' }] }]), want: '1.1.1.1' },
]
for (const c of epsCases) Eps(c.name, () => assert.is(formatEndpoints(c.eps, c.ports ?? new Set([''])), c.want))
Eps.run()

const Dispatch = suite('dispatch and capstan kinds')
Dispatch('unknown kinds use the generic describer', () => {
  const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns', uid: 'u' }, spec: { sizeLimit: 3, tags: ['a', 'b'] } }
  const out = describeObject(obj, { now: NOW, events: [] })
  assert.is(
    out,
    [
      'Name:         w',
      'Namespace:    ns',
      'Labels:       <none>',
      'Annotations:  <none>',
      'API Version:  example.com/v1',
      'Kind:         Widget',
      'Metadata:',
      '  UID:  u',
      'Spec:',
      '  Size Limit:  3',
      '  Tags:',
      '    a',
      '    b',
      'Events:  <none>',
      '',
    ].join('\n'),
  )
})
Dispatch('Namespace: name, labels, annotations, status and no events', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } }, status: { phase: 'Active' } }
  assert.is(describeObject(ns, { now: NOW, events: [] }), 'Name:         shop\nLabels:       kubernetes.io/metadata.name=shop\nAnnotations:  <none>\nStatus:       Active\n')
})
Dispatch('SyncRecord: commit, changes and rollouts tables', () => {
  const rec = {
    apiVersion: 'capstan.dev/v1alpha1',
    kind: 'SyncRecord',
    metadata: { name: 'sync-42', uid: 's' },
    spec: {
      commit: 'a1b2c3d',
      author: 'Jane Doe <jane@example.com>',
      subject: 'web: nginx 1.25',
      time: '2024-05-01T11:55:00Z',
      changes: [{ action: 'configured', kind: 'Deployment', namespace: 'default', name: 'web' }],
      deployments: [{ namespace: 'default', name: 'web', revision: 2, replicaSet: 'web-7b9f8c6d5d' }],
    },
  }
  assert.is(
    describeObject(rec, { now: NOW }),
    [
      'Name:         sync-42',
      'Labels:       <none>',
      'Annotations:  <none>',
      'Commit:       a1b2c3d',
      'Author:       Jane Doe <jane@example.com>',
      'Subject:      web: nginx 1.25',
      'Time:         Wed, 01 May 2024 11:55:00 +0000',
      'Changes:',
      '  Action      Kind        Namespace  Name',
      '  ------      ----        ---------  ----',
      '  configured  Deployment  default    web',
      'Rollouts:',
      '  Deployment   Revision  ReplicaSet',
      '  ----------   --------  ----------',
      '  default/web  2         web-7b9f8c6d5d',
      '',
    ].join('\n'),
  )
})
Dispatch('NodePool: zones, counts, machine type and its nodes', () => {
  const pool = {
    apiVersion: 'capstan.dev/v1alpha1',
    kind: 'NodePool',
    metadata: { name: 'general', creationTimestamp: '2024-05-01T10:00:00Z' },
    spec: { region: 'r1', zones: ['r1-a', 'r1-b'], nodesPerZone: 1, machineType: { name: 'n1-standard-2', cpu: '2', memory: '4Gi' } },
    status: { nodes: 2, readyNodes: 1 },
  }
  const out = describeObject(pool, { now: NOW, related: { nodesOfPool: () => [{ metadata: { name: 'general-1' } }, { metadata: { name: 'general-0' } }] } })
  assert.match(out, /^Zones:\s+r1-a,r1-b$/m)
  assert.match(out, /^Nodes:\s+2 desired \| 2 current \| 1 ready$/m)
  assert.match(out, /^Machine Type:\s+n1-standard-2 \(cpu 2, memory 4Gi, pods 110\)$/m)
  assert.match(out, /^Node Names:\s+general-0, general-1$/m)
  const counted = describeObject({ ...pool, spec: { ...pool.spec, zoneCounts: { 'r1-a': 2, 'r1-b': 3 } } }, { now: NOW })
  assert.match(counted, /^Nodes:\s+5 desired/m)
})
Dispatch.run()
