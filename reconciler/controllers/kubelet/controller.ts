/**
 * The simulated kubelet: for every pod bound to a Ready node it reports what a kubelet would —
 * sandbox and addresses, image pulls against the simulated registry, configuration from
 * ConfigMaps and Secrets, containers created, started and ready after the start delay — with the
 * kubelet's events; and it finishes the deletion of pods being deleted. A change to a ConfigMap or
 * Secret re-checks the pods that refer to it; a change to the simulation settings or to a node
 * re-checks the pods not yet running there. Its memory of the pods is checkpointed (checkpoint.ts).
 */
import { isNotFound } from '../../api/errors.js'
import type { Container, ContainerStatus, PodStatus } from '../../api/generated/types.js'
import { jsonEqual, withField, type KObject } from '../../api/object.js'
import { isNodeReady, nodeInternalIP } from '../node/default-node.js'
import { findObject } from '../runtime/find-object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { isSimConfigMap, readSimConfig } from '../sim/index.js'
import { CHECKPOINT_FORMAT, isDamaged, needsStartSync, restoreCheckpoint, saveCheckpoint, StartView, type CheckpointedMemory } from './checkpoint.js'
import { keysOf, referencedObjects, volumeProblem, type KeyLookup } from './config-refs.js'
import { stepContainer, type PodEvent } from './container-step.js'
import { IpAllocator } from './ip-allocator.js'
import { CONFIG_RECHECK_MS, KubeletMemory } from './memory.js'
import { podStatusFor } from './pod-status.js'
import { nextResolvedConfig } from './record-config.js'
import { KUBELET_FIELD_MANAGER, terminatePod } from './terminate.js'

/** Creates the simulated kubelet (one for every node: it serves every pod bound to a Ready node). */
export function createKubeletController(ctx: ControllerContext): Controller {
  const mem = new KubeletMemory()
  const ips = new IpAllocator()
  const blockedOnNode = new Map<string, Map<string, Request>>()
  /** The status (and annotations) a sync is writing now, by pod key: see `accepts`. */
  const writing = new Map<string, { status: PodStatus; annotations: Record<string, string> | undefined }>()
  const view = new StartView()

  /** What prime remembers of a pod a start does not sync: its uid and what it refers to. */
  const remember = (pod: KObject): void => {
    mem.setKnown(`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`, pod.metadata.uid!)
    mem.setRefs(pod.metadata.namespace || 'default', pod.metadata.name!, referencedObjects(pod))
  }
  const memory: CheckpointedMemory = { view, ips, mem }

  /**
   * Follows every pod's events: what a start would decide for it (the checkpoint), and the
   * addresses in use. A pod holds its address for as long as the API holds the pod (claimed from
   * its status, released when it is deleted), so a new process knows them from the pods' events
   * or its checkpoint, without listing every pod, and a terminated pod a finalizer keeps keeps it.
   * A deleted pod's memory goes with it, even when this process never synced it (a restored one).
   */
  const observePod = (pod: KObject, old: KObject | undefined, type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined): Request[] => {
    view.observe(type, pod, old)
    const uid = pod.metadata.uid
    const ip = (pod.status as PodStatus | undefined)?.podIP
    if (uid && type === 'DELETED') {
      ips.release(uid)
      mem.forgetPod(uid)
    } else if (uid && ip) ips.claim(uid, ip)
    return []
  }

  /** Forgets a pod (its address is released when the pod is deleted: see observePod). */
  const forget = (key: string): void => {
    const uid = mem.knownUid(key)
    if (uid) mem.forgetPod(uid)
    mem.forgetKnown(key)
    mem.clearRefs(key)
    mem.notRunning.delete(key)
    for (const m of blockedOnNode.values()) m.delete(key)
  }

  const toRequests = (pods: Array<{ namespace?: string; name: string }>): Request[] =>
    pods.map((p) => ({ resource: 'pods', namespace: p.namespace, name: p.name }))

  return {
    name: 'kubelet',
    resource: 'pods',
    // Incremental start: a running, Ready pod's reconcile changes nothing (its re-checks are
    // restored); it is remembered with the objects it refers to, so their changes still wake it.
    // Every other pod is reconciled as after a kubelet restart.
    incremental: true,
    prime: (pod) => {
      if (needsStartSync(pod)) return true
      remember(pod)
      return false
    },
    checkpoint: {
      save: () => saveCheckpoint(memory),
      restore: (data) => restoreCheckpoint(memory, data),
      format: CHECKPOINT_FORMAT,
      startRequests: () => [...view.startup.values()],
      damaged: () => isDamaged(memory),
    },
    // The pod changes a kubelet syncs on (its config source's filter, and podStorage's merge that
    // does not sync a pod on its own status update): a pod bound to a node, or one it already
    // knows; not the change its own status write just made, which is what that sync computed.
    accepts: (type, pod, old) => {
      const keyOf = (): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`
      if (!(pod.spec as { nodeName?: string }).nodeName && mem.knownUid(keyOf()) === undefined) return false
      // Only while one of its status writes is being delivered can a change be its own.
      const own = type === 'MODIFIED' && old && writing.size ? writing.get(keyOf()) : undefined
      return !own || !isOwnWrite(pod, old!, own.status, own.annotations)
    },
    watches: [
      { resource: 'pods', map: (pod, old, type) => observePod(pod, old, type) },
      {
        resource: 'configmaps',
        map: (cm) =>
          isSimConfigMap(cm)
            ? toRequests([...mem.notRunning.values()])
            : toRequests(mem.podsReferring(cm.metadata.namespace ?? '', 'configmaps', cm.metadata.name!)),
      },
      { resource: 'secrets', map: (s) => toRequests(mem.podsReferring(s.metadata.namespace ?? '', 'secrets', s.metadata.name!)) },
      { resource: 'nodes', map: (n) => [...(blockedOnNode.get(n.metadata.name!)?.values() ?? [])] },
    ],
    workers: 4,
    async reconcile(req: Request): Promise<Result> {
      const key = `${req.namespace}/${req.name}`
      const pod = await findObject(ctx.api, 'pods', req.namespace, req.name)
      if (!pod) {
        forget(key)
        return {}
      }
      const known = mem.knownUid(key)
      if (known && known !== pod.metadata.uid) forget(key)
      mem.setKnown(key, pod.metadata.uid!)
      const nodeName = (pod.spec as { nodeName?: string }).nodeName
      if (!nodeName) return {}

      // The node must exist and be Ready: a NotReady node's kubelet does nothing.
      const node = await findObject(ctx.api, 'nodes', undefined, nodeName)
      if (!node) return {}
      for (const m of blockedOnNode.values()) m.delete(key)
      if (!isNodeReady(node)) {
        let m = blockedOnNode.get(nodeName)
        if (!m) blockedOnNode.set(nodeName, (m = new Map()))
        m.set(key, req)
        return {}
      }

      // Deletion: stop the containers and confirm.
      if (pod.metadata.deletionTimestamp) {
        await terminatePod(ctx, pod)
        forget(key)
        return {}
      }
      const old = (pod.status ?? {}) as PodStatus
      if (old.phase === 'Succeeded' || old.phase === 'Failed') return {}
      return syncPod(pod, node, key)
    },
  }

  /** The running pod's next status, written if it changed, with the events of the way there. */
  async function syncPod(pod: KObject, node: KObject, key: string): Promise<Result> {
    const now = ctx.clock.now()
    const nowMs = now.getTime()
    const uid = pod.metadata.uid!
    const ns = pod.metadata.namespace ?? 'default'
    const old = (pod.status ?? {}) as PodStatus
    const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] }
    mem.setRefs(ns, pod.metadata.name!, referencedObjects(pod))
    const sim = await readSimConfig(ctx.api)
    const configChanged = mem.dirty.delete(uid)
    const events: PodEvent[] = []
    const due: number[] = []

    const cache = new Map<string, Promise<Set<string> | undefined>>()
    const lookup: KeyLookup = (resource, name) => {
      const k = `${resource}/${name}`
      let p = cache.get(k)
      if (!p) {
        p = ctx.api.get(resource, ns, name).then(keysOf, (err) => {
          if (isNotFound(err)) return undefined
          throw err
        })
        cache.set(k, p)
      }
      return p
    }

    // Sandbox: volumes are set up first; a missing ConfigMap or Secret keeps the pod ContainerCreating.
    const readyCond = old.conditions?.find((c) => c.type === 'PodReadyToStartContainers')
    let sandboxReady = readyCond?.status === 'True'
    if (!sandboxReady) {
      const vkey = `${uid}/volumes`
      const at = mem.nextCheck.get(vkey) ?? nowMs
      if (configChanged || nowMs >= at) {
        const problem = await volumeProblem(pod, lookup)
        if (problem) {
          events.push({ type: 'Warning', reason: 'FailedMount', message: problem.message })
          mem.nextCheck.set(vkey, nowMs + CONFIG_RECHECK_MS)
          due.push(nowMs + CONFIG_RECHECK_MS)
        } else {
          mem.nextCheck.delete(vkey)
          sandboxReady = true
        }
      } else due.push(at)
    }
    const sandboxReadyAt = sandboxReady && readyCond?.status === 'True' ? Date.parse(readyCond.lastTransitionTime ?? '') || nowMs : nowMs

    // Containers: init containers complete at once; the others go through pull, configure, start.
    const initStatuses: ContainerStatus[] = (spec.initContainers ?? []).map((c) =>
      sandboxReady
        ? {
            name: c.name,
            image: c.image ?? '',
            imageID: '',
            ready: true,
            restartCount: 0,
            started: false,
            state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: old.startTime ?? '', finishedAt: old.startTime ?? '' } },
          }
        : { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'PodInitializing' } } },
    )
    const statuses: ContainerStatus[] = []
    for (const c of spec.containers ?? []) {
      const prev = old.containerStatuses?.find((s) => s.name === c.name)
      if (!sandboxReady) {
        statuses.push(prev ?? { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } } })
        continue
      }
      const step = await stepContainer({
        pod,
        container: c,
        prev,
        now: nowMs,
        node: node.metadata.name!,
        startDelayMs: Math.round(sim.settings.startDelaySeconds * 1000),
        sim,
        mem,
        lookup,
        configChanged,
        sandboxReadyAt,
      })
      statuses.push(step.status)
      events.push(...step.events)
      if (step.dueAt !== undefined) due.push(step.dueAt)
    }

    // Addresses: the node's InternalIP, and a pod IP once the sandbox exists.
    const podIP = sandboxReady ? (old.podIP ?? ips.allocate(uid, podCidrOf(node))) : old.podIP
    if (old.podIP) ips.claim(uid, old.podIP)
    const status = podStatusFor({
      pod,
      containers: statuses,
      initContainers: initStatuses,
      sandboxReady,
      hostIP: nodeInternalIP(node) ?? '',
      podIP,
      now,
    })

    // One status write per sync, as the kubelet's status manager makes, carrying capstan's
    // resolved-config record when it changed (pods/status keeps a request's annotations).
    const record = await nextResolvedConfig({ api: ctx.api, mem, pod, status, now: nowMs, configChanged })
    if (record.dueAt !== undefined) due.push(record.dueAt)
    if (record.annotations || !jsonEqual(status, old)) {
      // The API server copies what it is given: shallow copies of the changed levels are enough.
      const metadata = record.annotations ? withField(pod.metadata, 'annotations', record.annotations) : pod.metadata
      writing.set(key, { status, annotations: metadata.annotations })
      try {
        await ctx.api.updateStatus({ ...pod, metadata, status }, { fieldManager: KUBELET_FIELD_MANAGER })
      } finally {
        writing.delete(key)
      }
    }
    for (const e of events) await ctx.events.event(pod, e.type, e.reason, e.message)

    const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
    if (ready) mem.notRunning.delete(key)
    else mem.notRunning.set(key, { namespace: pod.metadata.namespace, name: pod.metadata.name! })
    if (!due.length) return {}
    return { requeueAfterMs: Math.max(1, Math.min(...due) - nowMs) }
  }
}

/**
 * Whether `pod` (previously `old`) is exactly what a status write of `status` and `annotations`
 * over `old` makes: same spec, labels and deletion, the written status and annotations. A sync of
 * that pod at the same moment computes the same status again and writes nothing; what it asks for
 * later, the sync that wrote it already asked for.
 */
function isOwnWrite(pod: KObject, old: KObject, status: PodStatus, annotations: Record<string, string> | undefined): boolean {
  const m = pod.metadata
  const o = old.metadata
  return (
    jsonEqual(pod.spec, old.spec) &&
    m.uid === o.uid &&
    m.deletionTimestamp === o.deletionTimestamp &&
    m.deletionGracePeriodSeconds === o.deletionGracePeriodSeconds &&
    jsonEqual(m.finalizers, o.finalizers) &&
    jsonEqual(m.labels, o.labels) &&
    jsonEqual(m.annotations, annotations) &&
    jsonEqual(pod.status, status)
  )
}

/** The node's pod CIDR (the default pod network when it has none). */
function podCidrOf(node: KObject): string {
  const spec = (node.spec ?? {}) as { podCIDR?: string; podCIDRs?: string[] }
  return spec.podCIDRs?.[0] ?? spec.podCIDR ?? '10.244.0.0/16'
}
