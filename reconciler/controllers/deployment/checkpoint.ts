/**
 * The Deployment controller's checkpoint (see Checkpoint in runtime/types.ts): the known
 * Deployments (prime's record) and which of them were not complete (what a start enqueues), and
 * what the ReplicaSet watch records of every ReplicaSet (its controlling Deployment, the orphans).
 * Each part is saved as the controller holds it (DeploymentMemory): the known Deployments and the
 * ReplicaSets' owners are PagedMaps (runtime/paged-map.ts), stored by pages, so that a restore
 * checks the outline and keeps the pages; a page of records is read and checked when one of its
 * keys is first used (see Checkpoint.damaged for one that turns out malformed), and a save writes
 * back every page nothing changed as it was.
 *
 * Example (as JSON): { format: 3, deployments: [['shop/web', [{ matchLabels: { app: 'web' } }, false]]],
 * incomplete: ['shop/api'], replicaSetOwners: [['uid-1', 'shop/web']], orphanReplicaSets: [] }.
 */
import { isPlainObject } from '../../api/object.js'
import type { LabelSelectorSpec } from '../../api/selectors/index.js'
import { isObjectKeys } from '../replicaset/checkpoint.js'
import type { OrphanEntries } from '../replicaset/orphan-index.js'
import { isPairsOrPages } from '../runtime/paged-map.js'

/** The format of the checkpoint's data: a checkpoint of another format is refused (the start primes instead). */
export const DEPLOYMENT_CHECKPOINT_FORMAT = 3

/**
 * What the watch mappers need to know of a Deployment (learnt when it is primed or reconciled):
 * spec.selector as written (null when absent) and whether its strategy is Recreate.
 */
export type Known = [selectorSpec: LabelSelectorSpec | null, recreate: boolean]

/** The saved data. */
export interface DeploymentCheckpoint {
  format: number
  /** Per known Deployment: its `namespace/name` → what is known of it (a PagedMap; restored from pairs, or a store's pages). */
  deployments: unknown
  /** The known Deployments not complete when last seen. */
  incomplete: string[]
  /** Per ReplicaSet controlled by a Deployment: its uid → the Deployment's `namespace/name` (a PagedMap; restored from pairs, or a store's pages). */
  replicaSetOwners: unknown
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
  if (!isPairsOrPages(deployments) || !isPairsOrPages(replicaSetOwners) || !Array.isArray(orphanReplicaSets) || !isObjectKeys(incomplete)) return undefined
  return { format: DEPLOYMENT_CHECKPOINT_FORMAT, deployments, incomplete, replicaSetOwners, orphanReplicaSets: orphanReplicaSets as OrphanEntries }
}
