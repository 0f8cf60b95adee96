/**
 * Two shortcuts of the managed-fields bookkeeping, each pinned byte for byte against the frozen
 * reference copy (./reference/):
 * - a write that changes only fields its manager already owns keeps that manager's stored fieldsV1
 *   object (only the entry's time changes), when the stored fieldsV1 is in the encoder's own form;
 * - the list trackUpdate returns is remembered as decoded, and that decoding is what decoding a
 *   copy of the list gives.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decodeManagedFields, type ManagedFieldsEntry } from '../../../reconciler/api/apply/managed-fields.js'
import { trackUpdate } from '../../../reconciler/api/apply/track-update.js'
import { typeNodeFor } from '../../../reconciler/api/schema/index.js'
import { trackUpdate as referenceTrackUpdate } from './reference/track-update.js'
import { rng } from '../../helpers/rng.js'

const test = suite('trackUpdate: writes of fields the writer already owns')

type Obj = Record<string, unknown>
const typeNode = typeNodeFor('Pod')
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

function pod(status: Obj, image = 'nginx:1.25', labels: Obj = { app: 'web' }): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels },
    spec: { containers: [{ name: 'web', image }] },
    status,
  }
}

const cond = (type: string, status: string): Obj => ({ type, status, lastProbeTime: null })
const running = (ready: string, phase = 'Running'): Obj => ({ phase, conditions: [cond('Ready', ready), cond('Initialized', 'True')], podIP: '10.0.0.1' })

/** The reverse key order of a fieldsV1 node, everywhere (the same set, not the encoder's spelling). */
function respell(node: Obj): Obj {
  const out: Obj = {}
  for (const k of Object.keys(node).reverse()) out[k] = respell(node[k] as Obj)
  return out
}

function withManagedFields(o: Obj, mf: unknown): Obj {
  return { ...o, metadata: { ...(o.metadata as Obj), managedFields: mf } }
}

function entryOf(mf: ManagedFieldsEntry[], manager: string): ManagedFieldsEntry | undefined {
  return mf.find((e) => e.manager === manager)
}

interface Case {
  name: string
  /** The status write before the one under test (it makes the kubelet's entry). */
  first: Obj
  next: Obj
  /** Changes the stored kubelet entry before the write under test. */
  stored?: (e: ManagedFieldsEntry) => ManagedFieldsEntry
  subresource?: string
  manager?: string
  /** Whether the writer's stored fieldsV1 object is kept. */
  kept: boolean
}

const cases: Case[] = [
  { name: 'a status value changed, all owned', first: running('False'), next: running('True'), subresource: 'status', kept: true },
  { name: 'phase and a condition changed', first: running('False', 'Pending'), next: running('True'), subresource: 'status', kept: true },
  { name: 'a condition added', first: running('False'), next: { ...running('True'), conditions: [cond('Ready', 'True'), cond('Initialized', 'True'), cond('PodScheduled', 'True')] }, subresource: 'status', kept: false },
  { name: 'a field removed', first: running('False'), next: { phase: 'Running', conditions: [cond('Ready', 'True'), cond('Initialized', 'True')] }, subresource: 'status', kept: false },
  { name: 'nothing changed (no field taken: the entry and its time stay)', first: running('True'), next: running('True'), subresource: 'status', kept: true },
  { name: 'stored fieldsV1 in another spelling', first: running('False'), next: running('True'), subresource: 'status', stored: (e) => ({ ...e, fieldsV1: respell(e.fieldsV1 as Obj) }), kept: false },
  { name: 'stored fieldsV1 a copy (the same spelling)', first: running('False'), next: running('True'), subresource: 'status', stored: (e) => json(e), kept: true },
  { name: 'another manager writes the same fields', first: running('False'), next: running('True'), subresource: 'status', manager: 'other', kept: false },
]

test('bytes as the reference; the stored fieldsV1 kept exactly when only owned fields changed', () => {
  for (const c of cases) {
    const t0 = new Date('2026-01-01T00:00:00Z')
    const t1 = new Date('2026-01-01T00:01:00Z')
    const t2 = new Date('2026-01-01T00:02:00Z')
    const created = pod({})
    const mf0 = trackUpdate({ updated: created, manager: 'creator', typeNode, apiVersion: 'v1', now: t0 })
    const v0 = withManagedFields(created, mf0)
    const s1 = pod(c.first)
    const mf1 = trackUpdate({ old: v0, updated: withManagedFields(s1, mf0), manager: 'kubelet', typeNode, apiVersion: 'v1', now: t1, subresource: 'status' })
    const stored = c.stored ? mf1.map((e) => (e.manager === 'kubelet' ? c.stored!(e) : e)) : mf1
    const v1 = withManagedFields(s1, stored)
    const s2 = withManagedFields(pod(c.next), stored)
    const opts = { updated: s2, manager: c.manager ?? 'kubelet', typeNode, apiVersion: 'v1', now: t2, subresource: c.subresource }
    const got = trackUpdate({ ...opts, old: v1 })
    const want = referenceTrackUpdate({ ...opts, old: json(v1), updated: json(s2) })
    assert.is(JSON.stringify(got), JSON.stringify(want), `${c.name}: managedFields`)
    const before = entryOf(stored, 'kubelet')!
    const after = entryOf(got, 'kubelet')!
    assert.is(after.fieldsV1 === before.fieldsV1, c.kept, `${c.name}: stored fieldsV1 kept`)
  }
})

test('a spec write by the owner of the changed fields keeps its fieldsV1 (main resource, managedFields sent back)', () => {
  const t0 = new Date('2026-01-01T00:00:00Z')
  const created = pod({})
  const mf0 = trackUpdate({ updated: created, manager: 'creator', typeNode, apiVersion: 'v1', now: t0 })
  const v0 = withManagedFields(created, mf0)
  const cases = [
    { name: 'image changed', updated: withManagedFields(pod({}, 'nginx:1.26'), mf0), kept: true },
    { name: 'label value changed', updated: withManagedFields(pod({}, 'nginx:1.25', { app: 'api' }), mf0), kept: true },
    { name: 'label added', updated: withManagedFields(pod({}, 'nginx:1.25', { app: 'web', tier: 'x' }), mf0), kept: false },
    { name: 'managedFields not sent', updated: pod({}, 'nginx:1.26'), kept: true },
  ]
  for (const c of cases) {
    const opts = { manager: 'creator', typeNode, apiVersion: 'v1', now: new Date('2026-01-01T00:05:00Z') }
    const got = trackUpdate({ ...opts, old: v0, updated: c.updated })
    const want = referenceTrackUpdate({ ...opts, old: json(v0), updated: json(c.updated) })
    assert.is(JSON.stringify(got), JSON.stringify(want), c.name)
    assert.is(got[0].fieldsV1 === mf0[0].fieldsV1, c.kept, `${c.name}: kept`)
  }
})

test('the list trackUpdate returns decodes as a copy of it does', () => {
  const t0 = new Date('2026-01-01T00:00:00Z')
  const created = pod({})
  const mf0 = trackUpdate({ updated: created, manager: 'creator', typeNode, apiVersion: 'v1', now: t0 })
  const v0 = withManagedFields(created, mf0)
  const mf1 = trackUpdate({ old: v0, updated: withManagedFields(pod(running('True')), mf0), manager: 'kubelet', typeNode, apiVersion: 'v1', now: t0, subresource: 'status' })
  const shown = (list: ManagedFieldsEntry[]): string =>
    JSON.stringify([...decodeManagedFields(list)].map(([k, m]) => [k, m.manager, m.operation, m.apiVersion, m.subresource, m.time, m.set.toFieldsV1()]))
  assert.is(mf1.length, 2)
  assert.is(shown(mf1), shown(json(mf1)))
})

test('random status and spec writes that mostly change owned values: bytes as the reference at every step', () => {
  let kept = 0
  let writes = 0
  for (let seed = 1; seed <= 150; seed++) {
    const r = rng(seed)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
    const status = (): Obj => {
      const types = r() < 0.8 ? ['Ready', 'Initialized'] : ['Ready', 'Initialized', 'PodScheduled']
      const out: Obj = { phase: pick(['Pending', 'Running']), conditions: types.map((t) => cond(t, pick(['True', 'False']))) }
      if (r() < 0.8) out.podIP = pick(['10.0.0.1', '10.0.0.2'])
      return out
    }
    let clock = Date.parse('2026-01-01T00:00:00Z')
    const created = pod({})
    let mine = withManagedFields(created, trackUpdate({ updated: created, manager: 'creator', typeNode, apiVersion: 'v1', now: new Date(clock) }))
    let theirs = json(mine)
    for (let step = 0; step < 10; step++) {
      clock += pick([0, 1000, 61_000])
      const manager = pick(['kubelet', 'kubelet', 'kubelet', 'other', 'creator'])
      const sub = r() < 0.8 ? 'status' : undefined
      const next = sub ? { ...mine, status: status() } : pod((mine.status ?? {}) as Obj, pick(['nginx:1.25', 'nginx:1.26']), r() < 0.9 ? { app: pick(['web', 'api']) } : { app: 'web', tier: 'x' })
      const mf = (mine.metadata as Obj).managedFields
      // Sent back as read (shared), as a copy, or (main resource only) not at all.
      const sent = r() < 0.2 ? json(mf) : sub || r() < 0.7 ? mf : undefined
      const updated = withManagedFields(next, sent)
      if (sent === undefined) delete (updated.metadata as Obj).managedFields
      const opts = { updated, manager, typeNode, apiVersion: 'v1', now: new Date(clock), subresource: sub }
      const got = trackUpdate({ ...opts, old: mine })
      const want = referenceTrackUpdate({ ...opts, old: theirs, updated: json(updated) })
      assert.is(JSON.stringify(got), JSON.stringify(want), `seed ${seed}, step ${step}`)
      const before = entryOf((mine.metadata as { managedFields: ManagedFieldsEntry[] }).managedFields, manager)
      const after = entryOf(got, manager)
      writes++
      if (before && after && before.fieldsV1 === after.fieldsV1 && before.time !== after.time) kept++
      mine = withManagedFields(updated, got)
      // The next write reads either the object as stored (shared) or a copy as a store read gives.
      if (r() < 0.3) mine = json(mine)
      theirs = json(withManagedFields(updated, want))
    }
  }
  // The shortcut is exercised, not just allowed.
  assert.ok(kept >= 50, `shortcut taken ${kept} times in ${writes} writes`)
})

test.run()
