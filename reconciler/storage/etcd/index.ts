/** The etcd storage backend: capstan's state in an etcd v3 cluster. */
export { openEtcdStorage } from './etcd-storage.js'
export type { EtcdStorageOptions, EtcdTls } from './client.js'
export { parseEtcdSpec } from './parse-spec.js'
export { REVISION_OFFSET } from './codec.js'
