/**
 * Where GitOps keeps its own state: storage keys under /capstan/gitops/, outside the API's
 * /registry/ objects, so no watch cache and no controller ever loads them.
 */
import type { ObjectId } from '../identity.js'

/** The last successful sync and the record sequence. */
export const STATE_KEY = '/capstan/gitops/state'
/** Parsed blobs by cache key (blob id, `:json` for JSON). */
export const BLOB_PREFIX = '/capstan/gitops/blobs/'
/** Which file (and document) holds each desired identity of the last sync. */
export const ID_PREFIX = '/capstan/gitops/ids/'

/** The index key of an identity (`core` stands for the core group). */
export function idIndexKey(id: Pick<ObjectId, 'group' | 'kind' | 'namespace' | 'name'>): string {
  return `${ID_PREFIX}${id.group || 'core'}/${id.kind}/${id.namespace || '_'}/${id.name}`
}
