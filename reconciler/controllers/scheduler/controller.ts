/**
 * The scheduler (kube-scheduler's default profile, in our words): every pod with no node that asks
 * for default-scheduler gets one. Its cache follows nodes, pods and Services through its watch
 * mappings (the manager's informers, which deliver every object at a full start and replay the
 * unchanged ones at a primed incremental start), or through its checkpoint at a restored start; a
 * pod that fits nowhere gets PodScheduled=False/Unschedulable and a FailedScheduling event, and is
 * tried again when a node changes, when an assigned pod goes away, and every 5 minutes
 * (podMaxInUnschedulablePodsDuration).
 *
 * With no Node and no NodePool at all, it first creates the default node (capstan-node-1), so a
 * state that never declared nodes still runs its pods.
 */
import type { ApiWatch } from '../../api/client.js'
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import { defaultNode } from '../node/default-node.js'
import type { Checkpoint, Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { Algorithm } from './algorithm.js'
import { bindPods, markUnschedulable } from './bind.js'
import { SchedulerCache } from './cache.js'
import { decodeSchedulerCheckpoint, podRequestOf, saveScheduler, savedMaps, SCHEDULER_CHECKPOINT_FORMAT } from './checkpoint.js'
import { podKey, type PodInfo } from './node-info.js'
import { preparePod } from './prepare-pod.js'
import { ServiceSelectors } from './service-selectors.js'

/** How long an unschedulable pod waits before it is tried again with nothing having changed. */
export const UNSCHEDULABLE_RETRY_MS = 5 * 60_000

/**
 * The most assumed pods that wait for their bindings. kube-scheduler binds each pod in its own
 * goroutine after assuming it (the next pod is scheduled meanwhile); here the bindings of a run of
 * decisions are written together, which shares one store commit between them. A waiting pod's key
 * is queued again at once, so its binding is written no later than its next turn.
 */
export const BIND_BATCH = 500

/** The scheduler a pod asks for (default-scheduler when unset). */
export function schedulerNameOf(pod: KObject): string {
  return (pod.spec as { schedulerName?: string } | undefined)?.schedulerName || 'default-scheduler'
}

/** Unbound, not being deleted, not finished, and for the default scheduler. */
export function needsScheduling(pod: KObject): boolean {
  const spec = (pod.spec ?? {}) as { nodeName?: string }
  const phase = (pod.status as { phase?: string } | undefined)?.phase
  if (spec.nodeName || pod.metadata.deletionTimestamp) return false
  if (phase === 'Succeeded' || phase === 'Failed') return false
  return schedulerNameOf(pod) === 'default-scheduler'
}

/** Whether the pod carries PodScheduled=False/Unschedulable: the last attempt found no node for it. */
function markedUnschedulable(pod: KObject): boolean {
  const conds = (pod.status as { conditions?: Array<{ type?: string; status?: string; reason?: string }> } | undefined)?.conditions
  return !!conds?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable')
}

/** A change to an assigned pod that frees room on its node: deleted, terminating or finished. */
function freesRoom(obj: KObject, old: KObject | undefined): boolean {
  if (!(old?.spec as { nodeName?: string } | undefined)?.nodeName) return false
  const phase = (obj.status as { phase?: string } | undefined)?.phase
  // A DELETED event carries the last state itself (same spec object); a modification is a new object.
  return obj.spec === old!.spec || !!obj.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed'
}

/** The scheduler's parts, exposed for tests and the benchmark. */
export interface Scheduler extends Controller {
  readonly cache: SchedulerCache
  /**
   * Fills the cache when no manager feeds it (a scheduler driven by hand): opens watches of its
   * own, once; done by the first reconcile otherwise. Does nothing once the manager's informers
   * feed it (a watch mapping or a restore ran): a reconcile under a manager never lists every pod.
   */
  sync(): Promise<void>
  /** Closes its own watches (if any) and drops the bindings not yet written. */
  stop(): void
  readonly checkpoint: Checkpoint
}

type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED'

/** Creates the scheduler (controller name `default-scheduler`). */
export function createSchedulerController(ctx: ControllerContext): Scheduler {
  const cache = new SchedulerCache()
  const algorithm = new Algorithm(cache)
  const services = new ServiceSelectors()
  const unschedulable = new Map<string, Request>()
  /** Keys of the pods that need scheduling as their last events say (the scheduling queue's members): what a start enqueues. */
  const waiting = new Set<string>()
  /** Whether the manager's informers feed the cache: a watch mapping or a restore ran. */
  let informed = false
  /** Its own watches, opened by sync() when nothing feeds the cache. */
  let watches: Promise<ApiWatch[]> | undefined

  /** A node's change, into the cache. */
  function observeNode(type: ChangeType | undefined, node: KObject): void {
    if (type === 'DELETED') cache.removeNode(node.metadata.name!)
    else cache.setNode(node)
  }

  /**
   * A pod's change: assigned pods into the cache (a binding's MODIFIED confirms the assumed pod),
   * pods that need a node into `waiting` (kube-scheduler's event handlers: assigned pods go to the
   * cache, unassigned ones to the queue).
   */
  function observePod(type: ChangeType | undefined, pod: KObject): void {
    const key = podKey(pod)
    if (type === 'DELETED') {
      cache.removePod(key)
      waiting.delete(key)
      return
    }
    cache.setPod(pod)
    if (needsScheduling(pod)) waiting.add(key)
    else waiting.delete(key)
  }

  /** A Service's change, into the selectors (for the default spreading selector: a service lister upstream). */
  function observeService(type: ChangeType | undefined, svc: KObject): void {
    if (type === 'DELETED') services.remove(svc.metadata.namespace ?? '', svc.metadata.name ?? '')
    else services.set(svc)
  }

  /** One watch of its own from resourceVersion "0", feeding `observe` (see sync). */
  const own = (resource: string, observe: (type: ChangeType | undefined, obj: KObject) => void): Promise<ApiWatch> =>
    ctx.api.watch(resource, { resourceVersion: '0' }, (ev) => {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') observe(ev.type, ev.object as KObject)
    })

  const sync = async (): Promise<void> => {
    if (informed) return
    await (watches ??= Promise.all([own('nodes', observeNode), own('pods', observePod), own('services', observeService)]))
  }

  /** Assumed pods waiting for their bindings, in the order they were decided. */
  const pending = new Map<string, { pod: KObject; nodeName: string; assumed: PodInfo }>()
  /** The errors of bindings that failed, until their pod's next reconcile. */
  const failedBinds = new Map<string, Error>()
  /** Pods whose bindings a flush is writing now, and that flush (a reconcile of one waits for it). */
  const inFlight = new Map<string, Promise<void>>()

  /**
   * Writes every waiting binding (one bindMany: one group commit where the store has it), then a
   * `Scheduled` event per pod bound, in decision order. A failed binding forgets its assumed pod
   * (ForgetPod) and is reported by that pod's next reconcile, which is already queued.
   */
  function flush(): Promise<void> {
    const batch = [...pending]
    pending.clear()
    const written = writeBindings(batch)
    for (const [key] of batch) inFlight.set(key, written)
    return written
  }

  /** One flush's bindings, written; then their outcomes recorded and their events sent. */
  async function writeBindings(batch: Array<[string, { pod: KObject; nodeName: string; assumed: PodInfo }]>): Promise<void> {
    let results: Array<KObject | Error>
    try {
      results = await bindPods(ctx.api, batch.map(([, b]) => b), ctx.clock.now())
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      results = batch.map(() => e)
    }
    for (const [key] of batch) inFlight.delete(key)
    batch.forEach(([key, b], i) => {
      const r = results[i]
      if (r instanceof Error) {
        cache.forget(b.assumed)
        failedBinds.set(key, r)
      } else {
        void ctx.events.event(b.pod, 'Normal', 'Scheduled', `Successfully assigned ${b.pod.metadata.namespace}/${b.pod.metadata.name} to ${b.nodeName}`)
      }
    })
  }

  /** The default node, when the cluster declares no node and no pool. */
  async function ensureSomeNode(): Promise<void> {
    if (cache.nodes.size) return
    const [{ items: nodes }, { items: pools }] = await Promise.all([ctx.api.list('nodes'), ctx.api.list('nodepools')])
    if (nodes.length || pools.length) return
    try {
      await ctx.api.create(defaultNode(ctx.clock.now()), { fieldManager: 'kubelet' })
    } catch (err) {
      if (!isAlreadyExists(err)) throw err
    }
  }

  return {
    name: 'default-scheduler',
    resource: 'pods',
    cache,
    sync,
    stop() {
      if (watches) {
        void watches.then((ws) => ws.forEach((w) => w.stop()))
        services.clear()
      }
      watches = undefined
      // Bindings never written are decisions never made.
      for (const b of pending.values()) cache.forget(b.assumed)
      pending.clear()
    },
    // Incremental start: only pods that still need a node are reconciled (unschedulable ones
    // again); one the last run marked unschedulable is remembered so, as a running scheduler does.
    incremental: true,
    prime: (pod) => {
      if (!needsScheduling(pod)) return false
      if (markedUnschedulable(pod)) unschedulable.set(podKey(pod), podRequestOf(podKey(pod)))
      return true
    },
    checkpoint: {
      // Settled, no binding waits; one that did would be a decision the checkpoint cannot hold.
      save: () => (pending.size || inFlight.size ? undefined : saveScheduler(cache, services, waiting, unschedulable.keys())),
      format: SCHEDULER_CHECKPOINT_FORMAT,
      startRequests: () => [...waiting].map(podRequestOf),
      damaged: () => cache.damaged || services.damaged,
      restore(data) {
        const saved = decodeSchedulerCheckpoint(data)
        if (!saved) return undefined
        // The saved lists are the memory's own from here (restore's caller hands over the parsed
        // data); the paged parts' records are checked when their pages are first read.
        const parts = savedMaps(saved)
        if (!parts) return undefined // neither pairs nor pages: nothing changed
        informed = true
        cache.restore(saved.nodes, parts.pods, parts.podsByTerm, saved.unplaced)
        services.restore(parts.services, parts.servicesByTerm)
        waiting.clear()
        unschedulable.clear()
        for (const key of saved.waiting) waiting.add(key)
        for (const key of saved.unschedulable) unschedulable.set(key, podRequestOf(key))
        return saved.waiting.map(podRequestOf)
      },
    },
    // Only pods waiting for a node are its work (the scheduling queue's filter; assigned pods go
    // to the cache through its pods watch mapping), and pods it still remembers as unschedulable or with a
    // failed binding. (A decided pod waiting for its binding is queued already: its own requeue.)
    accepts: (_type, pod) => {
      if (needsScheduling(pod)) return true
      if (unschedulable.size === 0 && failedBinds.size === 0) return false
      const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`
      return unschedulable.has(key) || failedBinds.has(key)
    },
    // Each mapping records the change first (it runs as the event arrives; the reconciles that
    // read the cache run later, from the queue), then wakes the unschedulable pods it may help.
    watches: [
      {
        resource: 'nodes',
        map: (node, _old, type) => {
          informed = true
          observeNode(type, node)
          return [...unschedulable.values()]
        },
      },
      {
        resource: 'pods',
        map: (pod, old, type) => {
          informed = true
          observePod(type, pod)
          return unschedulable.size && freesRoom(pod, old) ? [...unschedulable.values()] : []
        },
      },
      {
        resource: 'services',
        map: (svc, _old, type) => {
          informed = true
          observeService(type, svc)
          return []
        },
      },
    ],
    async reconcile(req: Request): Promise<Result> {
      const key = `${req.namespace ?? ''}/${req.name}`
      // A decision of ours still waiting for its binding: write the waiting bindings now (or wait
      // for the flush already writing it, should reconciles ever run side by side).
      if (pending.has(key)) await flush()
      else if (inFlight.has(key)) await inFlight.get(key)
      let pod: KObject
      try {
        pod = await ctx.api.get('pods', req.namespace, req.name)
      } catch (err) {
        if (!isNotFound(err)) throw err
        unschedulable.delete(key)
        failedBinds.delete(key)
        return {}
      }
      if (!needsScheduling(pod)) {
        unschedulable.delete(key)
        failedBinds.delete(key)
        return {}
      }
      // Its binding failed (the assumption is already forgotten): retried with backoff, as before.
      const bindError = failedBinds.get(key)
      if (bindError) {
        failedBinds.delete(key)
        throw bindError
      }
      await sync()
      await ensureSomeNode()
      const prepared = await preparePod(ctx.api, pod, services)
      const result = algorithm.schedule(prepared)
      const now = ctx.clock.now()
      if (result.node === undefined) {
        unschedulable.set(key, req)
        await markUnschedulable(ctx.api, pod, result.message, now)
        void ctx.events.event(pod, 'Warning', 'FailedScheduling', result.message)
        return { requeueAfterMs: UNSCHEDULABLE_RETRY_MS }
      }
      unschedulable.delete(key)
      // Assume: the pod counts on its node from now on, even before the write lands; the binding
      // waits with the others and is written when this key comes back (at once) or the batch is full.
      pending.set(key, { pod, nodeName: result.node, assumed: cache.assume(pod, result.node, prepared) })
      if (pending.size < BIND_BATCH) return { requeueAfterMs: 0 }
      await flush()
      const err = failedBinds.get(key)
      if (err) {
        failedBinds.delete(key)
        throw err
      }
      return {}
    },
  }
}
