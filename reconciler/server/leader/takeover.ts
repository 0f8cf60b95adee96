/**
 * What a new leader must not sync again. Syncs are level-based (the GitOps state names the last
 * synced commit, and runSync of that commit is a no-op), so a takeover simply syncs the ref's head:
 * a commit the old leader never reached, or was half-way through, is synced now; one it finished
 * is a no-op. One case is told by the SyncRecords instead: the old leader's last sync of the head
 * failed in a way that running it again would only repeat (its objects do not validate:
 * its record is the state's own, and the state still names an older commit), so it is not run
 * again. A dry run, a failure that may pass next time (another writer during the apply, a render
 * that ran kustomize, a fetch, a prune or health check) and a sync killed between its record and its state write are run again: the last
 * left a record numbered past the state's sequence, and running it again (it finds everything
 * applied) moves the state, its index and the drift check to the head.
 */
import type { ApiServer } from '../../api/api-server.js'
import { isApiError } from '../../api/errors.js'
import { loadGitopsState, recordName, type SyncRecordObject } from '../../gitops/index.js'

/**
 * The name of the SyncRecord that already records a sync of `commit` when the GitOps state does
 * not say so (the case above), or undefined when a sync of `commit` is to run.
 */
export async function recordedUnsynced(api: ApiServer, commit: string | undefined): Promise<string | undefined> {
  if (commit === undefined) return undefined
  const state = await loadGitopsState(api.storage)
  if (state.seq === 0 || state.last?.commit === commit) return undefined
  let rec: SyncRecordObject
  try {
    rec = (await api.get('syncrecords', undefined, recordName(state.seq))) as unknown as SyncRecordObject
  } catch (err) {
    if (isApiError(err) && err.reason === 'NotFound') return undefined
    throw err
  }
  return rec.spec.commit === commit && rec.spec.result === 'Failed' && SETTLED_FAILURES.has(rec.spec.reason ?? '') ? rec.metadata.name : undefined
}

/** Failures of a commit itself, which another sync of the same commit would only repeat. */
const SETTLED_FAILURES = new Set(['ValidationFailed'])
