/** The NodePool controller and its pure parts. */
export { createNodePoolController, NODEPOOL_FIELD_MANAGER, DRAIN_RECHECK_MS } from './controller.js'
export * from './layout.js'
export { NODEPOOL_LABEL, nodeLabels, nodeResources, poolNode, healthyConditions } from './node-object.js'
export { drainNode, isCordoned, UNSCHEDULABLE_TAINT } from './drain.js'
export { poolStatus } from './status.js'
