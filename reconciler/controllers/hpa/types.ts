/** The HorizontalPodAutoscaler as the controller reads it (autoscaling/v2; the API stores v1 objects converted). */
import type { HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus, MetricStatus } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'

/** An autoscaling/v2 HorizontalPodAutoscaler. */
export type HpaObject = KObject & { spec: HorizontalPodAutoscalerSpec; status?: HorizontalPodAutoscalerStatus }

/** A Warning or Normal event the pass records about the HPA. */
export interface HpaEvent {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
}

/** A metric status as upstream writes it: a failed metric leaves a zero value, `{type: ""}`. */
export type MetricStatusOut = MetricStatus | { type: '' }

/** The field manager of the HPA's writes (scale and status), as kube-controller-manager's. */
export const HPA_FIELD_MANAGER = 'kube-controller-manager'

/** The controller's sync period (--horizontal-pod-autoscaler-sync-period). */
export const SYNC_PERIOD_MS = 15_000
