/**
 * The memo of pod specs found valid (valid-specs.ts) changes no result: random valid and invalid
 * pods, many sharing a spec, give the same causes (or the same thrown error) with the memo on and off.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiError, type StatusCause } from '../../../reconciler/api/errors.js'
import { kindByName } from '../../../reconciler/api/kinds.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { checkObject } from '../../../reconciler/api/validate.js'
import { validatePodTemplateSpec } from '../../../reconciler/api/validation/kinds/index.js'
import { isKnownValidPodSpec, podSpecsPassingRules, setValidSpecMemo, validNewPodSpecs } from '../../../reconciler/api/validation/valid-specs.js'

const test = suite('valid pod spec memo')

/** A defaulted pod spec, as the ReplicaSet controller's pods reach validation. */
function baseSpec(image: string): Record<string, unknown> {
  return {
    containers: [
      {
        name: 'web',
        image,
        resources: { requests: { cpu: '10m' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  }
}

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

type Spec = Record<string, unknown>
type Container = Record<string, unknown>
const first = (s: Spec): Container => (s.containers as Container[])[0]

/** Changes to a spec: most keep it valid (or keep it one seen before), some break it. */
const specEdits: Array<{ name: string; edit: (s: Spec) => void }> = [
  { name: 'none', edit: () => {} },
  { name: 'none again', edit: () => {} },
  { name: 'empty image', edit: (s) => void (first(s).image = '') },
  { name: 'unsupported restart policy', edit: (s) => void (s.restartPolicy = 'Sometimes') },
  { name: 'unknown field', edit: (s) => void (s.bogus = 1) },
  { name: 'wrong type', edit: (s) => void (s.terminationGracePeriodSeconds = 'thirty') },
  { name: 'bad quantity', edit: (s) => void (first(s).resources = { requests: { cpu: 'lots' } }) },
  { name: 'duplicate container', edit: (s) => void (s.containers as Container[]).push({ ...first(s) }) },
  { name: 'second container', edit: (s) => void (s.containers as Container[]).push({ ...first(s), name: 'side' }) },
  { name: 'bad node selector', edit: (s) => void (s.nodeSelector = { 'a b': 'x' }) },
  { name: 'good node selector', edit: (s) => void (s.nodeSelector = { zone: 'a' }) },
  { name: 'null member', edit: (s) => void (s.hostname = null) },
  { name: 'undefined member', edit: (s) => void (s.subdomain = undefined) },
  { name: 'bad hostname', edit: (s) => void (s.hostname = 'Not_A_Label') },
  { name: 'keys reordered', edit: (s) => {
    const r = s.restartPolicy
    delete s.restartPolicy
    s.restartPolicy = r
  } },
  { name: 'zero as -0', edit: (s) => void (s.priority = -0) },
  { name: 'no containers', edit: (s) => void (s.containers = []) },
  { name: 'spec not an object', edit: (s) => void (s.containers = 'web') },
]

/** Changes to the rest of the pod. */
const podEdits: Array<{ name: string; edit: (p: KObject) => void }> = [
  { name: 'none', edit: () => {} },
  { name: 'none again', edit: () => {} },
  { name: 'bad name', edit: (p) => void (p.metadata.name = 'Bad_Name') },
  { name: 'bad label', edit: (p) => void (p.metadata.labels = { app: 'not valid!' }) },
  { name: 'status of the wrong type', edit: (p) => void (p.status = { phase: 5 }) },
  { name: 'unknown top-level field', edit: (p) => void ((p as Record<string, unknown>).extra = true) },
  { name: 'no spec', edit: (p) => void delete (p as Record<string, unknown>).spec },
]

function pod(r: () => number, i: number): { pod: KObject; label: string } {
  const spec = baseSpec(['nginx:1.25', 'nginx:1.27', 'redis:7'][Math.floor(r() * 3)])
  const se = specEdits[Math.floor(r() * specEdits.length)]
  se.edit(spec)
  const p: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
    spec,
    status: { phase: 'Pending', qosClass: 'Burstable' },
  }
  const pe = r() < 0.7 ? podEdits[0] : podEdits[Math.floor(r() * podEdits.length)]
  pe.edit(p)
  return { pod: p, label: `#${i} spec: ${se.name}, pod: ${pe.name}` }
}

type Outcome = { causes?: StatusCause[]; thrown?: { reason: string; message: string; causes: StatusCause[] } }

/** checkObject's answer for a new pod as data: its causes, or the error it threw. */
function outcome(p: KObject): Outcome {
  return outcomeOf(kindByName('Pod')!, p)
}

/** checkObject's answer for a new object as data. */
function outcomeOf(k: NonNullable<ReturnType<typeof kindByName>>, p: KObject): Outcome {
  try {
    return { causes: checkObject(k, p, undefined, { nullFree: false }) }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    return { thrown: { reason: err.reason, message: err.message, causes: err.statusDetails.causes ?? [] } }
  }
}

test('checkObject gives the same results with the memo on and off', () => {
  const cases: Array<{ name: string; seed: number }> = [
    { name: 'seed 1', seed: 1 },
    { name: 'seed 42', seed: 42 },
    { name: 'seed 2026', seed: 2026 },
  ]
  for (const c of cases) {
    const r = rng(c.seed)
    const pods = Array.from({ length: 400 }, (_, i) => pod(r, i))
    setValidSpecMemo(true)
    let hits = 0
    const on = pods.map(({ pod: p }) => {
      if (isKnownValidPodSpec(p.spec)) hits++
      return outcome(structuredClone(p))
    })
    setValidSpecMemo(false)
    const off = pods.map(({ pod: p }) => outcome(structuredClone(p)))
    setValidSpecMemo(true)
    assert.ok(hits > 50, `${c.name}: the memo was used (${hits} hits)`)
    assert.ok(on.some((o) => o.thrown) && on.some((o) => o.causes?.length) && on.some((o) => o.causes?.length === 0), `${c.name}: valid and invalid pods`)
    for (let i = 0; i < pods.length; i++) assert.equal(on[i], off[i], `${c.name} ${pods[i].label}`)
  }
})

test('an invalid pod with a known valid spec reports the full pass’s causes', () => {
  setValidSpecMemo(true)
  const valid: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default' }, spec: baseSpec('nginx:1.25') }
  assert.equal(outcome(structuredClone(valid)), { causes: [] })
  assert.ok(isKnownValidPodSpec(valid.spec))
  const cases: Array<{ name: string; edit: (p: KObject) => void; want: Array<{ reason: string; field?: string }> }> = [
    { name: 'status type', edit: (p) => void (p.status = { phase: 5 }), want: [{ reason: 'FieldValueTypeInvalid', field: 'status.phase' }] },
    { name: 'bad name', edit: (p) => void (p.metadata.name = 'B'), want: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] },
  ]
  for (const c of cases) {
    const p = structuredClone(valid)
    c.edit(p)
    const got = outcome(p).causes?.map((x) => ({ reason: x.reason, field: x.field }))
    assert.equal(got, c.want, c.name)
  }
})

test('a spec changed after it was remembered is not taken as known', () => {
  setValidSpecMemo(true)
  const spec = baseSpec('nginx:1.25')
  const p: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default' }, spec }
  assert.equal(outcome(p), { causes: [] })
  first(spec).image = ''
  assert.not.ok(isKnownValidPodSpec(spec))
  assert.equal(outcome(p).causes?.map((x) => x.field), ['spec.containers[0].image'])
})

test('ReplicaSets and pod templates give the same results with the memo on and off', () => {
  const paths = ['spec.template', 'template', 'x']
  const cases: Array<{ name: string; seed: number }> = [
    { name: 'seed 7', seed: 7 },
    { name: 'seed 99', seed: 99 },
  ]
  for (const c of cases) {
    const r = rng(c.seed)
    const sets = Array.from({ length: 300 }, (_, i) => {
      const { pod: p, label } = pod(r, i)
      const labels = r() < 0.9 ? { app: 'web' } : { app: 'other' }
      const rs: KObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `web-${i}`, namespace: 'default' },
        spec: { replicas: Math.floor(r() * 4), selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels }, spec: p.spec } },
      }
      return { rs, label, path: paths[Math.floor(r() * paths.length)] }
    })
    const run = (): unknown[] =>
      sets.map(({ rs, path }) => {
        const template = structuredClone((rs.spec as { template: Record<string, unknown> }).template)
        return { rs: outcomeOf(kindByName('ReplicaSet')!, structuredClone(rs)), template: validatePodTemplateSpec(template, path) }
      })
    setValidSpecMemo(true)
    let hits = 0
    for (const { rs } of sets) if (podSpecsPassingRules.has((rs.spec as { template: { spec: unknown } }).template.spec)) hits++
    const on = run()
    for (const { rs } of sets) if (podSpecsPassingRules.has((rs.spec as { template: { spec: unknown } }).template.spec)) hits++
    setValidSpecMemo(false)
    const off = run()
    setValidSpecMemo(true)
    assert.ok(hits > 50, `${c.name}: the memo was used (${hits} hits)`)
    for (let i = 0; i < sets.length; i++) assert.equal(on[i], off[i], `${c.name} ${sets[i].label}`)
  }
})

test('only an exactly equal spec is known', () => {
  const base = (): Spec => ({ containers: [{ name: 'web', image: 'a', ports: [{ containerPort: 80 }] }], priority: 0, tolerations: [{ key: 'k' }] })
  const cases: Array<{ name: string; edit: (s: Spec) => void; known: boolean }> = [
    { name: 'a fresh copy', edit: () => {}, known: true },
    { name: 'keys in another order', edit: (s) => {
      const c = s.containers
      delete s.containers
      s.containers = c
    }, known: false },
    { name: 'an undefined member', edit: (s) => void (s.hostname = undefined), known: false },
    { name: '-0 for 0', edit: (s) => void (s.priority = -0), known: false },
    { name: 'a string for a number', edit: (s) => void (s.priority = '0'), known: false },
    { name: 'a hole in a list', edit: (s) => void (s.tolerations = new Array(1)), known: false },
    { name: 'an undefined item', edit: (s) => void (s.tolerations = [undefined]), known: false },
    { name: 'a longer list', edit: (s) => void (s.tolerations as unknown[]).push({ key: 'k' }), known: false },
    { name: 'a deep change', edit: (s) => void ((first(s).ports as Array<Record<string, unknown>>)[0].containerPort = 81), known: false },
    { name: 'an object for a list', edit: (s) => void (s.tolerations = { 0: { key: 'k' } }), known: false },
    { name: 'a null-prototype object', edit: (s) => {
      const t = Object.create(null) as Record<string, unknown>
      t.key = 'k'
      s.tolerations = [t]
    }, known: true },
    { name: 'a class instance', edit: (s) => {
      class T { key = 'k' }
      s.tolerations = [new T()]
    }, known: false },
  ]
  setValidSpecMemo(true)
  validNewPodSpecs.add(base())
  for (const c of cases) {
    const s = base()
    c.edit(s)
    assert.is(validNewPodSpecs.has(s), c.known, c.name)
  }
  // Changing what was passed in after it was remembered changes nothing remembered.
  const kept = base()
  validNewPodSpecs.add(kept)
  first(kept).image = 'b'
  assert.ok(validNewPodSpecs.has(base()), 'the remembered copy is private')
  setValidSpecMemo(true)
})

test.run()
