/**
 * What a new leader must not sync again. Syncs are level-based (the GitOps state names the last
 * synced commit, and runSync of that commit is a no-op), so a takeover simply syncs the ref's head:
 * a commit the old leader never reached, or was half-way through, is synced now; one it finished
 * is a no-op. One window is left: the old leader died after writing the SyncRecord of a commit and
 * before recording that commit in the state. Then the record is what says the sync happened.
 */
import type { ApiServer } from '../../api/api-server.js'
import { isApiError } from '../../api/errors.js'
import { loadGitopsState, recordName, type SyncRecordObject } from '../../gitops/index.js'

/**
 * The name of the SyncRecord that already records a sync of `commit` when the GitOps state does
 * not say so (the window above), or undefined when a sync of `commit` is to run.
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
  return rec.spec.commit === commit ? rec.metadata.name : undefined
}
