/**
 * What a new leader must not sync again. Syncs are level-based (the GitOps state names the last
 * synced commit, and runSync of that commit is a no-op), so a takeover simply syncs the ref's head:
 * a commit the old leader never reached, or was half-way through, is synced now; one it finished
 * is a no-op. Two cases are told by the SyncRecords instead: the old leader died after writing the
 * SyncRecord of a commit and before recording it in the state (the record is numbered past the
 * state's sequence), or its last sync of the commit failed (the state's own record names it).
 */
import type { ApiServer } from '../../api/api-server.js'
import { loadGitopsState, recordName, type SyncRecordObject } from '../../gitops/index.js'

/**
 * The name of the SyncRecord that already records a sync of `commit` when the GitOps state does
 * not say so (the cases above), or undefined when a sync of `commit` is to run. The record looked
 * at is the last one: the state's own, or one written past it.
 */
export async function recordedUnsynced(api: ApiServer, commit: string | undefined): Promise<string | undefined> {
  if (commit === undefined) return undefined
  const state = await loadGitopsState(api.storage)
  if (state.last?.commit === commit) return undefined
  let last: SyncRecordObject | undefined
  for (let seq = Math.max(1, state.seq); ; seq++) {
    const rec = (await api.find('syncrecords', undefined, recordName(seq))) as unknown as SyncRecordObject | undefined
    if (!rec) break
    last = rec
  }
  return last?.spec.commit === commit ? last.metadata.name : undefined
}
