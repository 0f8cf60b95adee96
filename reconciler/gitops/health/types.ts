/** Health outcomes: a closed set, as gitops-engine's. An outcome, not an error. */

/** How a managed object is doing. */
export type HealthStatus =
  /** It does what git asked: a Deployment rolled out, an HPA able to scale, an Ingress with an address. */
  | 'Healthy'
  /** It is getting there: a rollout in progress, within its deadline. */
  | 'Progressing'
  /** It failed and will not get there by itself: a rollout past its progress deadline. */
  | 'Degraded'
  /** It was paused on purpose (a paused Deployment): not waited for. */
  | 'Suspended'
  /** It is in git but not live. */
  | 'Missing'

/** The health of one object, with why. */
export interface Health {
  status: HealthStatus
  message: string
}

/** Whether waiting on this health can end: every status but Progressing is final for a sync. */
export function isSettled(h: Health): boolean {
  return h.status !== 'Progressing'
}
