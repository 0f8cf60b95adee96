/**
 * Keeps a pod's `capstan.dev/resolved-config` record current (see resolved-config.ts): a container's
 * environment is recorded once, when it starts; the volumes' files when the sandbox is ready, and
 * again VOLUME_SYNC_DELAY_MS after a ConfigMap or Secret they come from changes.
 */
import type { ApiClient } from '../../api/client.js'
import { formatTime } from '../../api/api-server.js'
import { isNotFound } from '../../api/errors.js'
import type { Container, PodStatus } from '../../api/generated/types.js'
import { jsonEqual, withField, type KObject } from '../../api/object.js'
import type { KubeletMemory } from './memory.js'
import { readResolvedConfig, resolveEnv, resolveVolumes, RESOLVED_CONFIG_ANNOTATION, VOLUME_SYNC_DELAY_MS, type ObjectLookup, type ResolvedConfig } from './resolved-config.js'

/** What one pass needs. */
export interface RecordInput {
  api: ApiClient
  mem: KubeletMemory
  /** The pod as this sync read it (its record, spec and volumes). */
  pod: KObject
  /** The status this sync reports. */
  status: PodStatus
  now: number
  /** A ConfigMap or Secret the pod refers to changed since the last pass. */
  configChanged: boolean
}

/** What the record needs: the pod's annotations with the new record (only when it changed), and when the next volume refresh is due. */
export interface RecordUpdate {
  annotations?: Record<string, string>
  dueAt?: number
}

/**
 * The record's next state. The kubelet writes it with the status of the same sync (one pods/status
 * write: the pod status strategy keeps a request's annotations, resetting only spec,
 * deletionTimestamp and ownerReferences).
 */
export async function nextResolvedConfig(input: RecordInput): Promise<RecordUpdate> {
  const { api, mem, pod, now } = input
  const namespace = pod.metadata.namespace ?? 'default'
  const uid = pod.metadata.uid!
  const lookup: ObjectLookup = async (resource, name) => {
    try {
      return await api.get(resource, namespace, name)
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw err
    }
  }
  const record = readResolvedConfig(pod)
  // Entries are replaced, never changed in place: copies of the two maps are enough.
  const next: ResolvedConfig = { containers: { ...record.containers }, volumes: { ...record.volumes } }
  const stamp = formatTime(new Date(now))

  // Environments: once per container, when it is running.
  const containers = ((pod.spec as { containers?: Container[] } | undefined)?.containers ?? [])
  for (const name of Object.keys(next.containers)) if (!containers.some((c) => c.name === name)) delete next.containers[name]
  for (const c of containers) {
    const running = input.status.containerStatuses?.find((s) => s.name === c.name)?.state?.running
    if (running && !next.containers[c.name]) next.containers[c.name] = { resolvedAt: stamp, env: await resolveEnv(c, lookup) }
  }

  // Volumes: when the sandbox is ready, then a sync period after their sources change.
  if (input.configChanged && Object.keys(record.volumes).length) mem.setVolumeSync(uid, Math.min(mem.volumeSyncAt(uid) ?? Infinity, now + VOLUME_SYNC_DELAY_MS))
  const sandboxReady = input.status.conditions?.some((c) => c.type === 'PodReadyToStartContainers' && c.status === 'True')
  const due = mem.volumeSyncAt(uid)
  const missing = !Object.keys(record.volumes).length && ((pod.spec as { volumes?: unknown[] }).volumes ?? []).length > 0
  let dueAt: number | undefined
  if (sandboxReady && (missing || (due !== undefined && now >= due))) {
    mem.clearVolumeSync(uid)
    const files = await resolveVolumes(pod, lookup)
    next.volumes = {}
    for (const [v, list] of Object.entries(files)) {
      const before = record.volumes[v]
      next.volumes[v] = before && jsonEqual(before.files, list) ? before : { syncedAt: stamp, files: list }
    }
  } else if (due !== undefined) dueAt = due

  if (jsonEqual(next, record) && (pod.metadata.annotations?.[RESOLVED_CONFIG_ANNOTATION] || (!Object.keys(next.containers).length && !Object.keys(next.volumes).length))) return { dueAt }
  return { annotations: withField(pod.metadata.annotations ?? {}, RESOLVED_CONFIG_ANNOTATION, JSON.stringify(next)), dueAt }
}
