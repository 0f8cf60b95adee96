/** The simulated kubelet. */
export { createKubeletController } from './controller.js'
export { stepContainer, pullNotFoundError, type PodEvent, type StepInput, type StepOutput } from './container-step.js'
export { containerConfigError, volumeProblem, referencedObjects, keysOf, type KeyLookup } from './config-refs.js'
export { podStatusFor, setCondition } from './pod-status.js'
export { terminatedStatus, terminatePod, KUBELET_FIELD_MANAGER } from './terminate.js'
export { goDuration } from './format.js'
export { IpAllocator } from './ip-allocator.js'
export { KubeletMemory, pullBackoffMs, PULL_BACKOFF_INITIAL_MS, PULL_BACKOFF_MAX_MS, CONFIG_RECHECK_MS } from './memory.js'
