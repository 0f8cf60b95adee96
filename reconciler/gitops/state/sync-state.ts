/** The last successful sync, kept in the state so that a resync only looks at what changed since. */
import type { Storage, TxnOp } from '../../storage/types.js'
import { STATE_KEY } from './keys.js'

/** What the last successful (non-dry-run) sync applied. */
export interface LastSync {
  repo: string
  ref: string
  path: string
  commit: string
  /** The tree id at `path` in `commit` ('' when the path held nothing). */
  tree: string
  /** The storage revision before the sync's last write (which writes no API object): API objects written later are other writers'. */
  revision: number
  /** Whether it pruned (a later --prune sync after one without must look at every managed object). */
  prune: boolean
  /** Whether the path holds a kustomization (kustomize renders directories as a whole: always a full render). */
  kustomize: boolean
  /** Desired HPA key → the Deployment key it targets (replicas ownership of unchanged files). */
  hpaTargets: Record<string, string>
}

/** The GitOps state. */
export interface GitopsState {
  /** The sequence number of the last SyncRecord written. */
  seq: number
  last?: LastSync
  /**
   * The commit a sync applied (set in its apply's own transaction) and did not see through to its
   * final state write: killed, or failed after the apply. The live objects may then be ahead of
   * `last`, so the next sync plans in full (it lists every managed object, and prunes what left git).
   */
  pending?: string
}

/** Reads the GitOps state (a fresh state: seq 0, nothing synced). */
export async function loadGitopsState(storage: Storage): Promise<GitopsState> {
  const kv = await storage.get(STATE_KEY)
  return kv ? (JSON.parse(kv.value) as GitopsState) : { seq: 0 }
}

/** The op that stores `state`. */
export function putStateOp(state: GitopsState): TxnOp {
  return { type: 'put', key: STATE_KEY, value: JSON.stringify(state) }
}
