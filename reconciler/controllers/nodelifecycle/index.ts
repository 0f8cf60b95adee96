/** Node lifecycle: condition taints, NotReady handling, taint eviction, and the simulated zone outage. */
export { createNodeLifecycleController, NODE_LIFECYCLE_FIELD_MANAGER } from './controller.js'
export { createTaintEvictionController, evictionTime } from './taint-eviction.js'
export { desiredTaints, readyStatus, NOT_READY, UNREACHABLE, UNSCHEDULABLE, type Taint } from './condition-taints.js'
export { nodeDown, nodeUp, zoneOf } from './sim-node-status.js'
