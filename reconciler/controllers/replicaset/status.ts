/**
 * The ReplicaSet's status (calculateStatus and updateReplicaSetStatus): counts of the active pods
 * it owned at the start of the pass, observedGeneration, and the ReplicaFailure condition while
 * creating or deleting pods fails. Written through the status subresource only when it changed.
 */
import type { ReplicaSetCondition, ReplicaSetStatus } from '../../api/generated/types.js'
import { formatTime } from '../../api/api-server.js'
import { jsonEqual, type KObject } from '../../api/object.js'
import type { ControllerContext } from '../runtime/types.js'
import { FIELD_MANAGER } from './claim.js'
import type { ManageResult } from './manage.js'
import { countReplicas } from './util.js'

/** The status `rs` should have, given its active pods and the scaling pass's error. */
export function calculateStatus(rs: KObject, active: KObject[], manageError: ManageResult['error'], now: Date): ReplicaSetStatus {
  const spec = (rs.spec ?? {}) as { minReadySeconds?: number; template?: { metadata?: { labels?: Record<string, string> } } }
  const old = (rs.status ?? {}) as ReplicaSetStatus
  const counts = countReplicas(active, spec.template?.metadata?.labels ?? {}, spec.minReadySeconds ?? 0, now)
  let conditions = (old.conditions ?? []).map((c) => ({ ...c }))
  const failure = conditions.find((c) => c.type === 'ReplicaFailure')
  if (manageError && !failure) {
    const cond: ReplicaSetCondition = {
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: formatTime(now),
      reason: manageError.reason,
      message: manageError.message,
    }
    conditions.push(cond)
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure')
  }
  const status: ReplicaSetStatus = { replicas: counts.replicas }
  // Go's omitempty: zero counters are left out, as kube-controller-manager writes them.
  if (counts.fullyLabeledReplicas) status.fullyLabeledReplicas = counts.fullyLabeledReplicas
  if (counts.readyReplicas) status.readyReplicas = counts.readyReplicas
  if (counts.availableReplicas) status.availableReplicas = counts.availableReplicas
  if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation
  if (conditions.length) status.conditions = conditions
  return status
}

/** Writes the status if it differs from the stored one; returns the ReplicaSet as stored. */
export async function writeStatus(ctx: ControllerContext, rs: KObject, status: ReplicaSetStatus): Promise<KObject> {
  if (jsonEqual(withoutZeros(rs.status), withoutZeros(status))) return rs
  // The API server copies what it is given: a shallow copy with the new status is enough.
  return ctx.api.updateStatus({ ...rs, status }, { fieldManager: FIELD_MANAGER })
}

/** Go omits zero counters (`omitempty`): `{replicas: 0}` and `{}` are the same status. */
function withoutZeros(status: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries((status ?? {}) as Record<string, unknown>)) {
    if (v === 0 && k !== 'replicas') continue
    if (v !== undefined) out[k] = v
  }
  if (out.replicas === undefined) out.replicas = 0
  return out
}
