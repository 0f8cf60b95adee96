export { STATE_KEY, BLOB_PREFIX, ID_PREFIX, idIndexKey } from './keys.js'
export { loadGitopsState, putStateOp, type GitopsState, type LastSync } from './sync-state.js'
export { storedBlobCache, type StoredBlobCache } from './blob-store.js'
export { readIdEntry, indexOps, type IdEntry } from './id-index.js'
