/** The storage layer: a revisioned key-value log (the etcd v3 model) with memory and sqlite backends. */
export * from './types.js'
export { createMemoryStorage } from './memory.js'
export { eventKey, eventRevision } from './watch-hub.js'
export { openSqliteStorage, type SqliteStorage, type SqliteStorageOptions } from './sqlite.js'
export { openStorage, openStorageAsync } from './open-storage.js'
export { compareKeys, prefixEnd } from './key-order.js'
export { MAX_VALUE_BYTES } from './validate-request.js'
