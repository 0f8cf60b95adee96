import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { apply } from '../../../reconciler/api/apply/server-side-apply.js'
import { trackUpdate } from '../../../reconciler/api/apply/track-update.js'
import { typeNodeFor } from '../../../reconciler/api/schema/index.js'
import { apply as referenceApply } from './reference/server-side-apply.js'
import { trackUpdate as referenceTrackUpdate } from './reference/track-update.js'
import { rng } from '../../helpers/rng.js'

/**
 * The managed-fields bookkeeping against a frozen copy of the code before its rewrite for speed
 * (./reference/): random sequences of writes (several managers, spec and status writes, map-list
 * items added, changed and removed, managedFields sent back, reset or malformed, stored objects
 * copied as the watch cache copies them, applies in between) must give byte-identical
 * managedFields at every step.
 */
const differential = suite('trackUpdate: differential against the reference')

type Obj = Record<string, unknown>
type Rand = () => number

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
const chance = (r: Rand, p: number): boolean => r() < p
const some = <T>(r: Rand, xs: readonly T[], p = 0.5): T[] => xs.filter(() => chance(r, p))

function labels(r: Rand): Obj | undefined {
  const out: Obj = {}
  for (const k of some(r, ['app', 'tier', 'team', 'ünïcode', 'a.b/c'])) out[k] = pick(r, ['web', 'x', 'y'])
  return Object.keys(out).length ? out : undefined
}

function container(r: Rand, name: string): Obj {
  const c: Obj = { name, image: pick(r, ['nginx:1.25', 'nginx:1.26', 'redis']) }
  if (chance(r, 0.5)) c.env = some(r, ['A', 'B', 'C', 'D']).map((n) => ({ name: n, value: pick(r, ['1', '2']) }))
  if (chance(r, 0.5)) c.ports = some(r, [80, 443, 8080]).map((p) => (chance(r, 0.5) ? { containerPort: p } : { containerPort: p, protocol: pick(r, ['TCP', 'UDP']) }))
  if (chance(r, 0.4)) c.resources = chance(r, 0.5) ? {} : { requests: { cpu: pick(r, ['10m', '1']) } }
  if (chance(r, 0.2)) c.args = some(r, ['--a', '--b', '--c'])
  return c
}

function deployment(r: Rand): Obj {
  const meta: Obj = { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: String(Math.floor(r() * 100)), generation: 1 }
  const l = labels(r)
  if (l) meta.labels = l
  if (chance(r, 0.5)) meta.annotations = { note: pick(r, ['a', 'b']), ...(chance(r, 0.5) ? { 'deployment.kubernetes.io/revision': pick(r, ['1', '2']) } : {}) }
  if (chance(r, 0.3)) meta.finalizers = some(r, ['f1', 'f2', 'example.com/x'])
  const spec: Obj = {
    replicas: pick(r, [1, 2, 3]),
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: some(r, ['web', 'side', 'log'], 0.6).map((n) => container(r, n)) } },
  }
  if (chance(r, 0.3)) spec.paused = chance(r, 0.5)
  if (chance(r, 0.3)) spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: pick(r, ['25%', 1]) } }
  const obj: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec }
  if (chance(r, 0.7)) {
    const status: Obj = { observedGeneration: pick(r, [1, 2]) }
    for (const k of some(r, ['replicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas'])) status[k] = pick(r, [0, 1, 2, 3])
    if (chance(r, 0.7)) {
      status.conditions = some(r, ['Available', 'Progressing', 'ReplicaFailure']).map((type) => {
        const c: Obj = { type, status: pick(r, ['True', 'False']), lastTransitionTime: pick(r, ['2024-01-01T00:00:00Z', '2024-01-01T00:01:00Z']) }
        if (chance(r, 0.5)) c.reason = pick(r, ['NewReplicaSetAvailable', 'MinimumReplicasAvailable'])
        return c
      })
    }
    obj.status = status
  }
  return obj
}

function pod(r: Rand): Obj {
  const meta: Obj = { name: 'p', namespace: 'default', uid: 'u2', resourceVersion: '1' }
  const l = labels(r)
  if (l) meta.labels = l
  if (chance(r, 0.4)) meta.annotations = { 'capstan.dev/resolved-config': pick(r, ['{}', '{"a":1}']) }
  if (chance(r, 0.3)) meta.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: pick(r, ['r1', 'r2']), controller: true }]
  if (chance(r, 0.2)) meta.deletionTimestamp = '2024-01-01T00:05:00Z'
  const spec: Obj = { containers: some(r, ['web', 'side'], 0.7).map((n) => container(r, n)) }
  if (chance(r, 0.5)) spec.nodeName = pick(r, ['n1', 'n2'])
  if (chance(r, 0.4)) spec.tolerations = some(r, ['a', 'b']).map((key) => ({ key, operator: 'Exists' }))
  const obj: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec }
  if (chance(r, 0.8)) {
    const status: Obj = { phase: pick(r, ['Pending', 'Running', 'Succeeded']) }
    if (chance(r, 0.7)) {
      status.conditions = some(r, ['PodScheduled', 'Initialized', 'Ready', 'ContainersReady']).map((type) => ({
        type,
        status: pick(r, ['True', 'False']),
        lastTransitionTime: pick(r, ['2024-01-01T00:00:00Z', '2024-01-01T00:02:00Z']),
        ...(chance(r, 0.3) ? { reason: 'PodCompleted' } : {}),
        ...(chance(r, 0.2) ? { lastProbeTime: null } : {}),
      }))
    }
    if (chance(r, 0.6)) status.podIPs = some(r, ['10.0.0.1', '10.0.0.2']).map((ip) => ({ ip }))
    if (chance(r, 0.6)) status.podIP = pick(r, ['10.0.0.1', '10.0.0.2'])
    if (chance(r, 0.5)) status.containerStatuses = [{ name: 'web', ready: chance(r, 0.5), restartCount: 0, image: 'nginx', imageID: '', state: { running: { startedAt: 'x' } } }]
    obj.status = status
  }
  return obj
}

const MANAGERS = ['kubectl-edit', 'kube-controller-manager', 'kubelet', 'capstan', '']

/** A copy as the watch cache makes one (no shared objects left), or the same object. */
function maybeCopied(r: Rand, o: Obj): Obj {
  return chance(r, 0.5) ? (JSON.parse(JSON.stringify(o)) as Obj) : o
}

/** managedFields a client might send: none, its copy of the stored ones, a reset, or ones that are odd or malformed. */
function sentManagedFields(r: Rand, stored: unknown): unknown {
  const x = r()
  if (x < 0.6) return undefined
  if (x < 0.7) return JSON.parse(JSON.stringify(stored ?? []))
  if (x < 0.75) return []
  if (x < 0.8) return [{}]
  if (x < 0.87) {
    // The same sets spelled differently: keys out of order, "." first, a non-canonical key.
    const list = JSON.parse(JSON.stringify(stored ?? [])) as Array<{ fieldsV1?: Obj }>
    for (const e of list) if (e.fieldsV1) e.fieldsV1 = respell(e.fieldsV1)
    return list
  }
  if (x < 0.92) return [{ manager: 'odd', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:x': {} } }, 'z:unknown': {} } }]
  return [{ manager: 'bad', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'k:notjson': {} } }]
}

/** A fieldsV1 with its keys reversed and "." first, and `k:` keys respelled with spaces. */
function respell(node: Obj): Obj {
  const out: Obj = {}
  const keys = Object.keys(node).reverse()
  if (keys.includes('.')) out['.'] = {}
  for (const k of keys) {
    if (k === '.') continue
    const spelled = k.startsWith('k:') ? 'k:' + JSON.stringify(JSON.parse(k.slice(2)), null, 1).replace(/\n/g, '') : k
    out[spelled] = respell(node[k] as Obj)
  }
  return out
}

function mutate(r: Rand, base: Obj, make: (r: Rand) => Obj): Obj {
  // Mostly a neighbour of the stored object (few changes), sometimes a fresh random one.
  const next = chance(r, 0.3) ? make(r) : (JSON.parse(JSON.stringify(base)) as Obj)
  if (next === base) return next
  const fresh = make(r)
  for (const k of some(r, ['spec', 'status', 'metadata'], 0.4)) {
    const freshLabels = (fresh.metadata as Obj).labels
    // (No undefined members: stored objects and decoded requests never have them.)
    if (k === 'metadata' && freshLabels === undefined) delete (next.metadata as Obj).labels
    else if (k === 'metadata') (next.metadata as Obj).labels = freshLabels
    else if (fresh[k] === undefined) delete next[k]
    else next[k] = fresh[k]
  }
  return next
}

function runSequence(seed: number): void {
  const r = rng(seed)
  const kind = chance(r, 0.5) ? 'Deployment' : 'Pod'
  const make = kind === 'Deployment' ? deployment : pod
  const typeNode = typeNodeFor(kind)
  const apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1'
  let mine: Obj | undefined
  let theirs: Obj | undefined
  let clock = Date.parse('2024-01-01T00:00:00Z')
  const steps = 4 + Math.floor(r() * 9)
  for (let step = 0; step < steps; step++) {
    clock += pick(r, [0, 0, 400, 1000, 61_000])
    const now = new Date(clock)
    const manager = pick(r, MANAGERS)
    const label = `seed ${seed}, step ${step}`
    if (mine && chance(r, 0.12)) {
      // An apply in between, by either implementation's own code.
      const config = make(r)
      delete config.status
      const force = chance(r, 0.5)
      const sub = chance(r, 0.2) ? 'status' : undefined
      const a = apply({ live: mine, config, manager: manager || 'applier', force, typeNode, apiVersion, now, subresource: sub })
      const b = referenceApply({ live: theirs, config: JSON.parse(JSON.stringify(config)) as Obj, manager: manager || 'applier', force, typeNode, apiVersion, now, subresource: sub })
      assert.is(JSON.stringify(a.conflicts), JSON.stringify(b.conflicts), `${label}: apply conflicts`)
      assert.is(JSON.stringify(a.object), JSON.stringify(b.object), `${label}: applied object`)
      if (!a.conflicts.length) {
        mine = maybeCopied(r, a.object as Obj)
        theirs = JSON.parse(JSON.stringify(b.object)) as Obj
      }
      continue
    }
    const sub = mine && chance(r, 0.4) ? 'status' : mine && chance(r, 0.05) ? 'scale' : undefined
    const updated = mine ? mutate(r, mine, make) : make(r)
    const sent = sentManagedFields(r, (mine?.metadata as Obj | undefined)?.managedFields)
    const meta = updated.metadata as Obj
    if (sent !== undefined) meta.managedFields = sent
    else if (mine && chance(r, 0.7)) meta.managedFields = (mine.metadata as Obj).managedFields
    else delete meta.managedFields
    const resetFields = chance(r, 0.1) ? [[{ field: 'spec' }, { field: 'replicas' }]] : undefined
    const opts = { updated, manager, typeNode, apiVersion, now, subresource: sub, resetFields }
    const got = trackUpdate({ ...opts, old: mine })
    const want = referenceTrackUpdate({ ...opts, old: theirs, updated: JSON.parse(JSON.stringify(updated)) as Obj })
    assert.is(JSON.stringify(got), JSON.stringify(want), `${label}: managedFields`)
    const store = (o: Obj, mf: unknown): Obj => {
      const m = { ...(o.metadata as Obj) }
      if (Array.isArray(mf) && mf.length) m.managedFields = mf
      else delete m.managedFields
      return { ...o, metadata: m }
    }
    mine = maybeCopied(r, store(updated, got))
    theirs = JSON.parse(JSON.stringify(store(updated, want))) as Obj
  }
}

const SEQUENCES = 200

differential(`${SEQUENCES} random write sequences give byte-identical managedFields`, () => {
  for (let seed = 1; seed <= SEQUENCES; seed++) runSequence(seed)
})

differential.run()
