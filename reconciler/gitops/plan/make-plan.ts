/**
 * The plan: every desired object applied, as field manager `capstan` with force, to a staging area
 * over the state (a dry run that sees the objects applied before it, so a Namespace made by the same
 * commit holds the objects after it), each result compared with the live object; then the managed
 * objects git no longer has. The staging area holds the writes a sync commits.
 */
import type { ApiServer } from '../../api/api-server.js'
import { decodeObject } from '../../api/codec.js'
import { isApiError, type ApiError } from '../../api/errors.js'
import { objectStorageKey } from '../../api/keys.js'
import { clone, type KObject } from '../../api/object.js'
import { describeProblem } from '../../cli/manifest-problems.js'
import type { DesiredObject, SourceProblem } from '../desired.js'
import { displayName, idKey, idOf, kindOfId, type ObjectId } from '../identity.js'
import { FIELD_MANAGER, HPA_HANDOVER_MANAGER, SOURCE_ANNOTATION } from '../labels.js'
import { comparePair, createdChange, describeChange, withChange } from './compare.js'
import { handoverConfig, ownsReplicas } from './hpa.js'
import { normalizeForPlan } from './normalize.js'
import { byPruneOrder, kindRank } from './order.js'
import { pairObjects } from './pair.js'
import type { Plan, PlanChange, PlanNote } from './types.js'

/** Options of `makePlan`. */
export interface MakePlanOptions {
  /** An API server over a StagedStorage of the state: the dry-run applies land there. */
  stage: ApiServer
  desired: readonly DesiredObject[]
  /** Managed live objects that may have left git (all of them, or those a changed file used to hold). */
  liveManaged: readonly KObject[]
  /** Deployment key → the HPA that owns its replicas (see plan/hpa.ts). */
  replicasOwners: ReadonlyMap<string, string>
  /** Plan deletes of managed objects that left git (else a PruneSkipped note). */
  prune?: boolean
  /** Prune even when the commit renders no object at all. */
  allowEmpty?: boolean
  /** Whether `desired` is the whole commit (an empty one then means an empty commit). */
  complete?: boolean
}

/** A plan made in a staging area, with the objects as applied there and every problem. */
export interface StagedPlan extends Plan {
  /** Invalid objects (the API's causes, placed at file, line, document and field): nothing may be applied. */
  problems: SourceProblem[]
  /** The API server's warnings (e.g. an older apiVersion converted), each once. */
  warnings: string[]
  /** Identity key → the object as the dry-run apply left it. */
  applied: Map<string, KObject>
  /** Identity key → the live object before the sync. */
  before: Map<string, KObject>
}

function problemsOf(d: DesiredObject, err: ApiError): SourceProblem[] {
  return describeProblem(d.source, err).map((p) => ({ file: d.source.file, line: d.source.line, doc: d.source.doc, text: p.text }))
}

/**
 * The staged object of `id`, or undefined: what `stage.get` answers (a stage is a fresh ApiServer
 * over a StagedStorage, which opens no watch cache, so its reads go to the store), without making
 * and throwing a NotFound for each of the thousands of objects a cold sync creates.
 */
async function stagedObject(stage: ApiServer, id: ObjectId): Promise<KObject | undefined> {
  const k = kindOfId(id)
  const kv = await stage.storage.get(objectStorageKey(k, k.namespaced ? id.namespace || 'default' : undefined, id.name))
  return kv ? decodeObject(kv) : undefined
}

/** `pairs` in apply order (byApplyOrder), each sort key computed once instead of at every comparison. */
function inApplyOrder<T extends { id: ObjectId }>(pairs: readonly T[]): T[] {
  const keyed = pairs.map((p) => ({ p, rank: kindRank(p.id.kind), key: idKey(p.id) }))
  keyed.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return keyed.map((k) => k.p)
}

/** Plans `desired` against the state under `stage`: creates, updates and unchanged in apply order, then prunes in reverse order. */
export async function makePlan({ stage, desired, liveManaged, replicasOwners, prune = false, allowEmpty = false, complete = true }: MakePlanOptions): Promise<StagedPlan> {
  const out: StagedPlan = { changes: [], notes: [], problems: [], warnings: [], applied: new Map(), before: new Map() }
  const warnings = new Set<string>()
  const pairs = pairObjects(
    desired.map((d) => ({ id: d.id, value: d })),
    liveManaged.map((l) => ({ id: idOf(kindOfId(l), l), value: l })),
  )
  const toApply = inApplyOrder(pairs.filter((p) => p.desired))
  // Apply: each desired object, in order, to the staging area.
  const owner_ = (d: DesiredObject) => (d.id.kind === 'Deployment' ? replicasOwners.get(idKey(d.id)) : undefined)
  for (const { id, desired: d } of toApply) {
    const obj = d!
    const key = idKey(id)
    const owner = owner_(obj)
    const config = owner ? clone(obj.object) : obj.object
    const live = await stagedObject(stage, id)
    if (live) out.before.set(key, live)
    const w: string[] = []
    try {
      if (owner) {
        // spec.replicas is not applied, but git's value must still be one the API accepts (a dry run of the whole document).
        if ((obj.object.spec as { replicas?: unknown } | undefined)?.replicas !== undefined) await stage.apply(obj.object, { fieldManager: FIELD_MANAGER, force: true, dryRun: true })
        delete (config.spec as { replicas?: number } | undefined)?.replicas
        out.notes.push({ kind: 'ReplicasOwnedByHPA', id, message: `${displayName(id)}: spec.replicas belongs to HorizontalPodAutoscaler ${owner}; capstan does not apply it` })
        if (live && ownsReplicas(live)) await stage.apply(handoverConfig(live), { fieldManager: HPA_HANDOVER_MANAGER, force: true })
      }
      const applied = await stage.apply(config, { fieldManager: FIELD_MANAGER, force: true, warnings: w })
      out.applied.set(key, applied)
      const label = `${id.namespace ? `${id.namespace}/` : ''}${displayName(id)}`
      if (!live) out.changes.push(createdChange({ id, file: obj.source.file, doc: obj.source.doc, line: obj.source.line }, applied, label))
      else {
        const c = comparePair(live, applied, label)
        out.changes.push(withChange({ action: c.action, ...(c.takesOverFrom ? { takesOverFrom: c.takesOverFrom } : {}), id, file: obj.source.file, doc: obj.source.doc, line: obj.source.line }, c))
      }
    } catch (err) {
      if (!isApiError(err)) throw err
      out.problems.push(...problemsOf(obj, err))
    }
    for (const m of w) warnings.add(`${obj.source.file}: ${m}`)
  }
  out.warnings = [...warnings]
  // Prune: managed objects git no longer has, in reverse order.
  const gone = pairs.filter((p) => !p.desired && p.live).sort((a, b) => byPruneOrder(a.id, b.id))
  if (gone.length && complete && desired.length === 0 && !allowEmpty) {
    out.notes.push({ kind: 'EmptyCommitNotPruned', message: `the commit renders no objects: ${gone.length} managed object(s) are kept (--allow-empty prunes them)` })
  } else if (gone.length && !prune) {
    const names = gone.slice(0, 5).map((g) => displayName(g.id)).join(', ')
    out.notes.push({ kind: 'PruneSkipped', message: `${gone.length} managed object(s) left git and are kept (--prune deletes them): ${names}${gone.length > 5 ? ', …' : ''}` })
  } else {
    for (const { id, live } of gone) {
      const l = live!
      const kindId = id
      const label = `${id.namespace ? `${id.namespace}/` : ''}${displayName(kindId)}`
      const change: PlanChange = withChange({ action: 'prune' as const, id: kindId }, describeChange(normalizeForPlan(l), undefined, label))
      const file = l.metadata.annotations?.[SOURCE_ANNOTATION]
      if (file) change.file = file
      out.changes.push(change)
      out.before.set(idKey(kindId), l)
    }
  }
  return out
}

/** The notes of a plan that are not about one object's fields, as text. */
export function noteLines(notes: readonly PlanNote[]): string[] {
  return notes.map((n) => n.message)
}
