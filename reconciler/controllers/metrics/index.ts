/** The simulated metrics pipeline: the load model (`capstan sim load`), per-pod usage, and the resource metrics API the HPA reads. */
export * from './milli-quantity.js'
export * from './load-model.js'
export * from './load-store.js'
export * from './pod-usage.js'
export * from './resource-metrics.js'
