/** Sync outcomes and the reasons a sync ends with: closed sets, each value with its meaning. */

/** The outcome of one sync (SyncRecord spec.result). */
export type SyncResult =
  /** Every object was applied (and pruned), and every rollout it started completed (or was not waited for). */
  | 'Succeeded'
  /** The sync stopped at one of its steps (see the reason); nothing was applied when it stopped before apply. */
  | 'Failed'
  /** A plan only: nothing was applied. */
  | 'DryRun'

/** Why a sync ended as it did (SyncRecord spec.reason), named for the step that decided it. */
export type SyncReason =
  /** Everything applied and healthy. */
  | 'Synced'
  /** Applied; health was not waited for (`--no-wait`). */
  | 'Applied'
  /** The plan was made and printed; nothing was applied (`--dry-run`). */
  | 'Planned'
  /** The ref, commit or path could not be read (or a remote fetched). */
  | 'SourceFailed'
  /** A manifest did not parse, or kustomize failed. */
  | 'RenderFailed'
  /** An object is invalid (or a kind unknown, an identity twice): nothing was applied. */
  | 'ValidationFailed'
  /** Writing the objects failed (the state changed under the sync). */
  | 'ApplyFailed'
  /** Deleting a managed object that left git failed. */
  | 'PruneFailed'
  /** A rollout exceeded its progress deadline, or cannot progress. */
  | 'HealthCheckFailed'

/** What sync records name about one Deployment the sync touched. */
export interface DeploymentRevision {
  namespace: string
  name: string
  revision: number
  replicaSet?: string
  podTemplateHash?: string
  previousRevision?: number
  rollback?: boolean
}

/** The spec of a SyncRecord (schemas/syncrecord.json). */
export interface SyncRecordSpec {
  repo?: string
  ref?: string
  path?: string
  commit: string
  author?: { name?: string; email?: string }
  subject?: string
  time?: string
  trigger?: 'manual' | 'poll' | 'webhook' | 'drift' | 'undo'
  result: SyncResult
  reason?: SyncReason
  message?: string
  changes?: Array<{ action: string; group?: string; version?: string; kind: string; namespace?: string; name: string; file?: string }>
  deployments?: DeploymentRevision[]
  revertOf?: string
}

/** A SyncRecord object. */
export interface SyncRecordObject {
  apiVersion: 'capstan.dev/v1alpha1'
  kind: 'SyncRecord'
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string | null; resourceVersion?: string }
  spec: SyncRecordSpec
}
