/** Leader election for `capstan serve --ha`: one replica runs controllers and syncs, the others serve the API. Importing this index loads the etcd client (start-serve imports the files it needs, and the etcd store lazily). */
export { LeaderElector, newIdentity, withTimeout, type ElectorOptions, type ElectorState, type ElectionLog } from './elector.js'
export { openEtcdLeaseStore } from './etcd-lease-store.js'
export { leaderRoute, LEADER_PATH, type LeaderStatus } from './leader-route.js'
export { recordedUnsynced } from './takeover.js'
export { DEFAULT_TIMING, LEADER_KEY, JITTER_FACTOR, timingProblems, type ElectionTiming, type LeaderRecord, type LeaseStore, type HeldKey, type AcquireResult, type LostReason } from './types.js'
