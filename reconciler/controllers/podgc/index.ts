/** The pod garbage collector: orphaned pods of deleted nodes, terminating pods no kubelet will end. */
export { createPodGcController, QUARANTINE_MS } from './controller.js'
export { CONTROLLER_MANAGER_FIELD_MANAGER, disruptAndDelete, type Disruption } from './disrupt.js'
export { isOutOfService, OUT_OF_SERVICE } from './memory.js'
