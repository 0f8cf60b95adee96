/**
 * The OpenAPI component schemas of autoscaling/v1 HorizontalPodAutoscaler, served next to v2 (see
 * api/served-versions.ts): what kubectl validates a v1 manifest against. Written here from the
 * official v1 types (a CPU utilization target only); CrossVersionObjectReference is v2's, renamed.
 */
import { loadDefinitions } from '../../api/schema/load-schemas.js'
import { toOpenApi, type OpenApiSchema } from './convert-schema.js'
import { componentRef } from './names.js'

const V1 = 'io.k8s.api.autoscaling.v1'
const ref = (name: string): string => `#/components/schemas/${V1}.${name}`
const int32 = (description: string, dflt?: number): OpenApiSchema => ({ description, type: 'integer', format: 'int32', ...(dflt === undefined ? {} : { default: dflt }) })
const GVK = (kind: string) => [{ group: 'autoscaling', kind, version: 'v1' }]

/** The schemas of a kind served at a version it is not stored at: components, shared definitions they name, the object's and list's references. */
export interface ExtraVersionSchemas {
  schemas(): Record<string, OpenApiSchema>
  refs: string[]
  object: string
  list: string
}

/** By `group/version/Kind` (served-versions.ts lists the versions). */
const EXTRA: Record<string, ExtraVersionSchemas> = {
  'autoscaling/v1/HorizontalPodAutoscaler': { schemas: hpaV1Schemas, refs: ['ObjectMeta', 'ListMeta', 'Time'], object: ref('HorizontalPodAutoscaler'), list: ref('HorizontalPodAutoscalerList') },
}

/** The schemas of `kind` at `group/version` when that is an extra version, else undefined (the stored schema serves). */
export function extraVersionSchemas(group: string, version: string, kind: string): ExtraVersionSchemas | undefined {
  return EXTRA[`${group}/${version}/${kind}`]
}

/** Every autoscaling/v1 HPA component schema, by official name. */
function hpaV1Schemas(): Record<string, OpenApiSchema> {
  const refs = new Set<string>()
  const crossVersion = toOpenApi(loadDefinitions().definitions.CrossVersionObjectReference, refs)
  return {
    [`${V1}.CrossVersionObjectReference`]: crossVersion,
    [`${V1}.HorizontalPodAutoscaler`]: {
      description: 'configuration of a horizontal pod autoscaler.',
      type: 'object',
      properties: {
        apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
        kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
        metadata: { allOf: [{ $ref: componentRef('ObjectMeta') }], default: {}, description: 'Standard object metadata.' },
        spec: { allOf: [{ $ref: ref('HorizontalPodAutoscalerSpec') }], default: {}, description: 'spec defines the behaviour of autoscaler.' },
        status: { allOf: [{ $ref: ref('HorizontalPodAutoscalerStatus') }], default: {}, description: 'status is the current information about the autoscaler.' },
      },
      'x-kubernetes-group-version-kind': GVK('HorizontalPodAutoscaler'),
    },
    [`${V1}.HorizontalPodAutoscalerList`]: {
      description: 'list of horizontal pod autoscaler objects.',
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
        items: { description: 'items is the list of horizontal pod autoscaler objects.', type: 'array', items: { allOf: [{ $ref: ref('HorizontalPodAutoscaler') }], default: {} } },
        kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
        metadata: { allOf: [{ $ref: componentRef('ListMeta') }], default: {}, description: 'Standard list metadata.' },
      },
      'x-kubernetes-group-version-kind': GVK('HorizontalPodAutoscalerList'),
    },
    [`${V1}.HorizontalPodAutoscalerSpec`]: {
      description: 'specification of a horizontal pod autoscaler.',
      type: 'object',
      required: ['scaleTargetRef', 'maxReplicas'],
      properties: {
        maxReplicas: int32('maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.', 0),
        minReplicas: int32('minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
        scaleTargetRef: { allOf: [{ $ref: ref('CrossVersionObjectReference') }], default: {}, description: 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.' },
        targetCPUUtilizationPercentage: int32('targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.'),
      },
    },
    [`${V1}.HorizontalPodAutoscalerStatus`]: {
      description: 'current status of a horizontal pod autoscaler',
      type: 'object',
      required: ['currentReplicas', 'desiredReplicas'],
      properties: {
        currentCPUUtilizationPercentage: int32('currentCPUUtilizationPercentage is the current average CPU utilization over all pods, represented as a percentage of requested CPU.'),
        currentReplicas: int32('currentReplicas is the current number of replicas of pods managed by this autoscaler.', 0),
        desiredReplicas: int32('desiredReplicas is the desired number of replicas of pods managed by this autoscaler.', 0),
        lastScaleTime: { allOf: [{ $ref: componentRef('Time') }], description: 'lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods.' },
        observedGeneration: { description: 'observedGeneration is the most recent generation observed by this autoscaler.', type: 'integer', format: 'int64' },
      },
    },
  }
}
