/** The garbage collector: background, foreground and orphan deletion through ownerReferences. */
export { createGarbageCollector } from './controller.js'
export { attemptToDelete, processForeground, processOrphan, GC_FIELD_MANAGER } from './collect.js'
export { classifyOwners, isWaitingForDependents, FOREGROUND, ORPHAN } from './owners.js'
export { findDependents, GC_KINDS, GC_RESOURCES, OwnerIndex } from './dependents.js'
