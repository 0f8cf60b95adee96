/**
 * The garbage collector as one Controller over every kind it follows (GC_RESOURCES). Its primary
 * resource is `pods`; every other kind is a watch that maps an object to itself, so one queue holds
 * requests of all kinds (the keys carry the resource) and one reconcile handles each object in its
 * two roles:
 * - as an owner: deleted in the foreground or with the orphan policy → processForeground/processOrphan;
 *   gone (NotFound) → the dependents the index saw referring to it are checked at once;
 * - as a dependent: attemptToDelete (delete when every owner is gone).
 * When a dependent disappears, an owner waiting for it in the foreground is processed again.
 *
 * It starts incrementally: objects unchanged since the last settled run are not reconciled. Its
 * memory — the owner index, the observed owners, the owners noted gone — is filled from every
 * object it is shown, whether reconciled or not: unchanged pods through `prime`, unchanged objects
 * of the other kinds through the watch mappings, changes as they arrive. So it is complete at the
 * first reconcile after any start, and is saved and restored whole (checkpoint.ts) instead of
 * being rebuilt from every object.
 */
import { isNotFound } from '../../api/errors.js'
import { kindByName, resolveResource } from '../../api/kinds.js'
import { jsonEqual, type KObject } from '../../api/object.js'
import { findObject } from '../runtime/find-object.js'
import type { Checkpoint, Controller, ControllerContext, Request, Result, Watch } from '../runtime/types.js'
import { PagedMap, type PagedCodec } from '../runtime/paged-map.js'
import { decodeMemory, GC_CHECKPOINT_FORMAT, type GcCheckpoint } from './checkpoint.js'
import { attemptToDelete, processForeground, processOrphan } from './collect.js'
import { GC_RESOURCES, objectKeyOf, OwnerIndex, resourceOfKind } from './dependents.js'
import { isWaitingForDependents, ORPHAN } from './owners.js'

/** Creates the garbage collector. */
export function createGarbageCollector(ctx: ControllerContext): Controller {
  const index = new OwnerIndex()
  /** Owners seen replaced by a new object of the same name (`Kind/namespace/name`): their old dependents need a check. */
  const replaced = new Set<string>()
  /**
   * Notes an owner's deletion or replacement: the reconcile of its key then checks the dependents
   * the index saw referring to it, even when it finds a new object of that name by then (deleted
   * and created again before the collector got to it: the graph builder, keyed by uid, sends the
   * old node's dependents to attemptToDelete all the same).
   */
  const noteGone = (obj: KObject, old: KObject | undefined, type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined): void => {
    if (type === 'DELETED' || (old && old.metadata.uid !== obj.metadata.uid)) replaced.add(objectKeyOf(obj.kind, obj.metadata.namespace, obj.metadata.name!))
  }
  /**
   * The uid of every object of a watched kind (not pods) that exists and is not being deleted, by
   * `Kind/namespace/name`, as the graph builder's observed nodes: what a new dependent's owner
   * references are checked against (see ownersObserved). Pods are not followed as owners here;
   * a pod-owned dependent is simply reconciled. A PagedMap (runtime/paged-map.ts): saved whole, a
   * restore reads only the pages of the owners a command looks up.
   */
  let solidOwners = new PagedMap<string>(UIDS)
  const observe = (obj: KObject, type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined): void => {
    const key = objectKeyOf(obj.kind, obj.metadata.namespace, obj.metadata.name!)
    if (type === 'DELETED' || obj.metadata.deletionTimestamp) solidOwners.delete(key)
    // A status write keeps the uid: the page stays as stored.
    else if (solidOwners.get(key) !== obj.metadata.uid) solidOwners.set(key, obj.metadata.uid!)
  }
  /**
   * Whether every owner reference of a new, not deleting `dep` names an owner seen live and not
   * being deleted, with the referenced uid. The graph builder's addDependentToOwners
   * (garbagecollector/graph_builder.go) enqueues nothing for such a dependent: attemptToDelete
   * runs only for a virtual (unobserved) owner or a reference that does not match the observed
   * owner. Our reconcile of it would only record it in the index and find every owner solid.
   */
  const ownersObserved = (dep: KObject): boolean => {
    const refs = dep.metadata.ownerReferences
    if (!refs?.length || dep.metadata.deletionTimestamp) return false
    for (const r of refs) {
      const k = kindByName(r.kind)
      if (!k || (k.namespaced && !dep.metadata.namespace)) return false
      if (solidOwners.get(objectKeyOf(r.kind, k.namespaced ? dep.metadata.namespace : undefined, r.name)) !== r.uid) return false
    }
    return true
  }
  /**
   * Records the owners of an object that appeared or changed (not yet reconciled, maybe never:
   * see addedNeedsReconcile), so that the index knows every live reference whatever is reconciled;
   * a deletion's owners stay until its reconcile, which rechecks them.
   */
  const remember = (obj: KObject, old: KObject | undefined, resource: string, type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined): void => {
    // A change that kept the owner references (a status write) leaves the index as it was.
    if (type === 'DELETED' || (type === 'MODIFIED' && old && obj.metadata.ownerReferences === old.metadata.ownerReferences)) return
    index.record(obj, resource)
  }
  /** A new object: whether it needs a reconcile (it is recorded in the index either way). */
  const addedNeedsReconcile = (obj: KObject): boolean =>
    !isFree(obj) && (!ownersObserved(obj) || replaced.has(objectKeyOf(obj.kind, obj.metadata.namespace, obj.metadata.name!)))
  const self = (resource: string): Watch => ({
    resource,
    map: (obj, old, type) => {
      noteGone(obj, old, type)
      observe(obj, type)
      remember(obj, old, resource, type)
      // As for pods (`accepts` below): a change that leaves ownership as it was (a status write)
      // has nothing for the collector; the graph builder enqueues no attemptToDelete for it.
      if (type === 'MODIFIED' && old && sameOwnership(obj, old)) return []
      if (type === 'ADDED' && !addedNeedsReconcile(obj)) return []
      return [{ resource, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' }]
    },
  })
  /** The memory saved beside the resume point, and restored instead of priming. */
  const checkpoint: Checkpoint = {
    // Every observed owner, as a priming leaves them: by pages, so a command reads and writes only
    // the pages of the owners it looked up or changed.
    save: (): GcCheckpoint => ({ format: GC_CHECKPOINT_FORMAT, ...index.save(), solid: solidOwners, replaced: [...replaced] }),
    damaged: () => index.damaged || solidOwners.damaged,
    format: GC_CHECKPOINT_FORMAT,
    startRequests: () => [],
    restore(data) {
      const memory = decodeMemory(data)
      if (!memory) return undefined
      // The saved lists are the memory's own from here (restore's caller hands over the parsed data).
      try {
        const solid = PagedMap.restore(memory.solid, UIDS)
        index.restore(memory.owned, memory.dependents)
        solidOwners = solid
      } catch {
        return undefined // not lists of pairs: nothing changed
      }
      replaced.clear()
      for (const key of memory.replaced) replaced.add(key)
      // As prime: nothing unchanged is reconciled at start.
      return []
    },
  }

  /** attemptToDelete for each recorded dependent of `key` (one already gone is fine). */
  const attemptDependents = async (key: string): Promise<void> => {
    for (const dep of index.dependents(key)) {
      const obj = await findObject(ctx.api, dep.resource, dep.namespace, dep.name)
      if (obj) await attemptToDelete(ctx, obj)
    }
  }

  /** Processes an owner by key if it is waiting for its dependents in the foreground. */
  const recheckOwner = async (key: string): Promise<void> => {
    const [kind, ns, name] = key.split('/')
    const resource = resourceOfKind(kind)
    if (!resource) return
    try {
      const owner = await ctx.api.get(resource, ns || undefined, name)
      if (isWaitingForDependents(owner)) await processForeground(ctx, owner)
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }

  return {
    name: 'garbage-collector',
    resource: 'pods',
    watches: GC_RESOURCES.filter((r) => r !== 'pods').map(self),
    workers: 4,
    // A pod change that leaves its owner references, deletion and finalizers as they were has
    // nothing for the collector (the graph builder acts on reference diffs and deletion
    // transitions only; an owner's disappearance reaches its dependents through the owner).
    // A new pod whose owners are all observed is recorded and not reconciled (see addedNeedsReconcile).
    accepts: (type, obj, old) => {
      noteGone(obj, old, type)
      remember(obj, old, 'pods', type)
      return type === 'ADDED' ? addedNeedsReconcile(obj) : type !== 'MODIFIED' || !old || !sameOwnership(obj, old)
    },
    incremental: true,
    // An unchanged pod is only recorded: a settled state leaves the collector nothing to do for it
    // at start (a dependent of a gone owner was collected or unlinked when the owner went; an owner
    // waiting in the foreground is rechecked when one of its dependents goes).
    prime(obj) {
      index.record(obj, 'pods')
      return false
    },
    checkpoint,
    async reconcile(req: Request): Promise<Result> {
      const k = resolveResource(req.resource)
      if (!k) return {}
      const key = objectKeyOf(k.kind, req.namespace, req.name)
      const obj = await findObject(ctx.api, k.plural, req.namespace, req.name)
      if (!obj) {
        replaced.delete(key)
        // Gone: its dependents may now be garbage, and its owners may have been waiting for it.
        await attemptDependents(key)
        for (const owner of index.forget(key)) await recheckOwner(owner)
        return {}
      }
      if (replaced.has(key)) {
        // Replaced: dependents of the old object (their references name its uid) are now dangling.
        // The note goes only once they are checked: a failure retries with it.
        await attemptDependents(key)
        replaced.delete(key)
      }
      index.record(obj, k.plural)

      // As an owner being deleted: orphan first, then the foreground wait.
      if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(ORPHAN)) {
        await processOrphan(ctx, obj)
        return {}
      }
      if (isWaitingForDependents(obj)) {
        await processForeground(ctx, obj)
        // Its own owners may be waiting too; that is handled when it is gone.
      }

      // As a dependent.
      await attemptToDelete(ctx, obj)
      return {}
    },
  }
}


/**
 * Whether a new object has nothing for the collector: no owners (so not a dependent, and nothing
 * to record) and not being deleted (so no orphan or foreground work as an owner). The graph
 * builder adds such a node and enqueues nothing for it; its dependents reach it by their own
 * references, and its deletion (a DELETED event) is still reconciled.
 */
function isFree(obj: KObject): boolean {
  return !obj.metadata.ownerReferences?.length && !obj.metadata.deletionTimestamp
}

/** Whether the two states of an object agree on everything the collector reads of a dependent or an owner. */
function sameOwnership(obj: KObject, old: KObject): boolean {
  const m = obj.metadata
  const o = old.metadata
  return m.uid === o.uid && m.deletionTimestamp === o.deletionTimestamp && jsonEqual(m.finalizers, o.finalizers) && jsonEqual(m.ownerReferences, o.ownerReferences)
}

/** An observed owner's uid. */
const UIDS: PagedCodec<string> = { check: (_key, v) => (typeof v === 'string' ? v : undefined) }
