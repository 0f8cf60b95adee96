/** An HPA is healthy when it is able to scale its target (its AbleToScale condition). */
import type { KObject } from '../../api/object.js'
import type { Health } from './types.js'

/** The health of a HorizontalPodAutoscaler. */
export function hpaHealth(obj: KObject): Health {
  const conds = ((obj.status as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions) ?? []
  const able = conds.find((c) => c.type === 'AbleToScale')
  // The HPA controller writes AbleToScale on its first pass.
  if (!able) return { status: 'Progressing', message: 'waiting for the autoscaler to observe it' }
  if (able.status === 'True') return { status: 'Healthy', message: able.message || 'able to scale' }
  return { status: 'Degraded', message: `not able to scale: ${able.reason ?? ''}${able.message ? ` (${able.message})` : ''}` }
}
