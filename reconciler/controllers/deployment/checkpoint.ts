/**
 * The Deployment controller's checkpoint (see Checkpoint in runtime/types.ts): the known
 * Deployments (prime's record) and which of them were not complete (what a start enqueues), and
 * what the ReplicaSet watch records of every ReplicaSet (its controlling Deployment, the orphans).
 * Each part is saved as the controller holds it (DeploymentMemory), so that a restore checks the
 * outline and builds a few Maps and Sets: a record is checked when first read (see
 * Checkpoint.damaged for one that turns out malformed).
 *
 * Example: { format: 2, deployments: [['shop/web', [{ matchLabels: { app: 'web' } }, false]]],
 * incomplete: ['shop/api'], replicaSetOwners: [['uid-1', 'shop/web']], orphanReplicaSets: [] }.
 */
import { isPlainObject } from '../../api/object.js'
import type { LabelSelectorSpec } from '../../api/selectors/index.js'
import { isObjectKeys } from '../replicaset/checkpoint.js'
import type { OrphanEntries } from '../replicaset/orphan-index.js'

/** The format of the checkpoint's data: a checkpoint of another format is refused (the start primes instead). */
export const DEPLOYMENT_CHECKPOINT_FORMAT = 2

/**
 * What the watch mappers need to know of a Deployment (learnt when it is primed or reconciled):
 * spec.selector as written (null when absent) and whether its strategy is Recreate.
 */
export type Known = [selectorSpec: LabelSelectorSpec | null, recreate: boolean]

/** The saved data. */
export interface DeploymentCheckpoint {
  format: number
  /** Per known Deployment, in the order the ReplicaSet watch walks them: its `namespace/name` and what is known of it. */
  deployments: Array<[string, Known]>
  /** The known Deployments not complete when last seen. */
  incomplete: string[]
  /** Per ReplicaSet controlled by a Deployment: its uid and the Deployment's `namespace/name`. */
  replicaSetOwners: Array<[string, string]>
  /** The ReplicaSets without a controller, by namespace. */
  orphanReplicaSets: OrphanEntries
}

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). The outline, and the incomplete keys (a restore turns them into requests at once): the
 * records are checked as the controller first reads them.
 */
export function decodeDeploymentCheckpoint(data: unknown): DeploymentCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== DEPLOYMENT_CHECKPOINT_FORMAT) return undefined
  const { deployments, incomplete, replicaSetOwners, orphanReplicaSets } = data
  if (!Array.isArray(deployments) || !Array.isArray(replicaSetOwners) || !Array.isArray(orphanReplicaSets) || !isObjectKeys(incomplete)) return undefined
  return { format: DEPLOYMENT_CHECKPOINT_FORMAT, deployments, incomplete, replicaSetOwners, orphanReplicaSets } as DeploymentCheckpoint
}
