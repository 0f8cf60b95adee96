/** HPA conditions (horizontal.go setConditionInList): set in place or appended, lastTransitionTime moved only when the status changes. */
import type { HorizontalPodAutoscalerCondition } from '../../api/generated/types.js'
import { formatTime } from '../../api/api-server.js'

/** The condition types the HPA controller sets. */
export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited'

/** A condition to set. */
export interface HpaCondition {
  type: HpaConditionType
  status: 'True' | 'False'
  reason: string
  message: string
}

/** The list with `c` set: an existing condition of its type keeps its place (and its lastTransitionTime if the status is unchanged). */
export function setCondition(list: readonly HorizontalPodAutoscalerCondition[] | undefined, c: HpaCondition, now: Date): HorizontalPodAutoscalerCondition[] {
  const out = [...(list ?? [])]
  const i = out.findIndex((x) => x.type === c.type)
  const prev = i >= 0 ? out[i] : undefined
  const lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : formatTime(now)
  const next: HorizontalPodAutoscalerCondition = { type: c.type, status: c.status, lastTransitionTime, reason: c.reason, message: c.message }
  if (i >= 0) out[i] = next
  else out.push(next)
  return out
}
