/** HorizontalPodAutoscaler in autoscaling/v2 and autoscaling/v1 (k8s.io/api/autoscaling/v{1,2}/generated.proto). */
import { LabelSelector, message, ObjectMeta, status } from './messages-meta.js'

const CrossVersionObjectReference = message('CrossVersionObjectReference', {
  1: { name: 'kind', type: 'string' },
  2: { name: 'name', type: 'string' },
  3: { name: 'apiVersion', type: 'string' },
})

const MetricTarget = message('MetricTarget', {
  1: { name: 'type', type: 'string' },
  2: { name: 'value', type: 'quantity' },
  3: { name: 'averageValue', type: 'quantity' },
  4: { name: 'averageUtilization', type: 'int32', keep: true },
})

const MetricIdentifier = message('MetricIdentifier', {
  1: { name: 'name', type: 'string' },
  2: { name: 'selector', type: LabelSelector },
})

const MetricSpec = message('MetricSpec', {
  1: { name: 'type', type: 'string' },
  2: {
    name: 'object',
    type: message('ObjectMetricSource', {
      1: { name: 'describedObject', type: CrossVersionObjectReference },
      2: { name: 'target', type: MetricTarget },
      3: { name: 'metric', type: MetricIdentifier },
    }),
  },
  3: { name: 'pods', type: message('PodsMetricSource', { 1: { name: 'metric', type: MetricIdentifier }, 2: { name: 'target', type: MetricTarget } }) },
  4: { name: 'resource', type: message('ResourceMetricSource', { 1: { name: 'name', type: 'string' }, 2: { name: 'target', type: MetricTarget } }) },
  5: { name: 'external', type: message('ExternalMetricSource', { 1: { name: 'metric', type: MetricIdentifier }, 2: { name: 'target', type: MetricTarget } }) },
  7: {
    name: 'containerResource',
    type: message('ContainerResourceMetricSource', {
      1: { name: 'name', type: 'string' },
      2: { name: 'target', type: MetricTarget },
      3: { name: 'container', type: 'string' },
    }),
  },
})

const HPAScalingRules = message('HPAScalingRules', {
  1: { name: 'selectPolicy', type: 'string', keep: true },
  2: {
    name: 'policies',
    type: message('HPAScalingPolicy', {
      1: { name: 'type', type: 'string' },
      2: { name: 'value', type: 'int32', keep: true },
      3: { name: 'periodSeconds', type: 'int32', keep: true },
    }),
    repeated: true,
  },
  3: { name: 'stabilizationWindowSeconds', type: 'int32', keep: true },
})

/** The spec fields autoscaling/v1 and v2 share (the same numbers in both). */
const SPEC_TARGET_AND_BOUNDS = {
  1: { name: 'scaleTargetRef', type: CrossVersionObjectReference },
  2: { name: 'minReplicas', type: 'int32', keep: true },
  3: { name: 'maxReplicas', type: 'int32', keep: true },
} as const

export const HorizontalPodAutoscalerV2 = message('HorizontalPodAutoscaler', {
  1: { name: 'metadata', type: ObjectMeta },
  2: {
    name: 'spec',
    type: message('HorizontalPodAutoscalerSpec', {
      ...SPEC_TARGET_AND_BOUNDS,
      4: { name: 'metrics', type: MetricSpec, repeated: true },
      5: {
        name: 'behavior',
        type: message('HorizontalPodAutoscalerBehavior', { 1: { name: 'scaleUp', type: HPAScalingRules }, 2: { name: 'scaleDown', type: HPAScalingRules } }),
      },
    }),
  },
  3: status('HorizontalPodAutoscalerStatus'),
})

export const HorizontalPodAutoscalerV1 = message('HorizontalPodAutoscaler', {
  1: { name: 'metadata', type: ObjectMeta },
  2: {
    name: 'spec',
    type: message('HorizontalPodAutoscalerSpec', {
      ...SPEC_TARGET_AND_BOUNDS,
      4: { name: 'targetCPUUtilizationPercentage', type: 'int32', keep: true },
    }),
  },
  3: status('HorizontalPodAutoscalerStatus'),
})
