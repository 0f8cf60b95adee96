/** An HPA is healthy when it is able to scale its target (its AbleToScale condition). */
import type { KObject } from '../../api/object.js'
import type { Health } from './types.js'

/**
 * capstan runs no HPA controller yet (controllers/hpa/ is not in CONTROLLERS): an HPA nobody has reported on counts as healthy (nothing would
 * ever report). Set to true when the controller lands, and an unobserved HPA is Progressing.
 */
export const HPA_CONTROLLER_EXISTS = false

/** The health of a HorizontalPodAutoscaler. */
export function hpaHealth(obj: KObject): Health {
  const conds = ((obj.status as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions) ?? []
  const able = conds.find((c) => c.type === 'AbleToScale')
  if (!able) {
    return HPA_CONTROLLER_EXISTS
      ? { status: 'Progressing', message: 'waiting for the autoscaler to observe it' }
      : { status: 'Healthy', message: 'no autoscaler runs in capstan yet: counted as healthy' }
  }
  if (able.status === 'True') return { status: 'Healthy', message: able.message || 'able to scale' }
  return { status: 'Degraded', message: `not able to scale: ${able.reason ?? ''}${able.message ? ` (${able.message})` : ''}` }
}
