/** The ReplicaSet controller. */
export { createReplicaSetController } from './controller.js'
export * from './util.js'
export * from './pod-util.js'
export { claimDecision, claimPods, FIELD_MANAGER } from './claim.js'
export { calculateStatus } from './status.js'
