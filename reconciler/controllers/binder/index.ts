/** The default binder (replaced by the scheduler) and the default node it creates. */
export { createBinderController, needsBinding } from './controller.js'
export { bindPod, schedulerNameOf, SCHEDULER_FIELD_MANAGER } from './bind.js'
export * from './default-node.js'
