/** The Deployment controller and the client-side rollout helpers. */
export { createDeploymentController, syncDeployment, type SyncHints } from './controller.js'
export * from './rollout.js'
export * from './types.js'
export { computeHash } from './hash.js'
export { maxSurge, maxUnavailable, resolveFenceposts, revisionOf, deploymentComplete } from './util.js'
