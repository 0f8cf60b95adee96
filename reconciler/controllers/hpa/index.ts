/** The HorizontalPodAutoscaler controller: replica calculation, normalization, its memory, and the controller. */
export { createHpaController, type HpaControllerOptions } from './controller.js'
export { reconcileAutoscaler, type PassResult } from './reconcile.js'
export { computeReplicasForMetrics, computeReplicasForMetric, type MetricsInput, type MetricsOutcome } from './compute-metrics.js'
export * from './replica-calculator.js'
export * from './normalize.js'
export * from './history.js'
export { setCondition, type HpaCondition, type HpaConditionType } from './conditions.js'
export * from './types.js'
