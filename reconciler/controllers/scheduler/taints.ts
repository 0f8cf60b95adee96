/**
 * Taints and tolerations (k8s.io/api/core/v1 toleration.go and component-helpers' taint helpers):
 * whether a toleration tolerates a taint, the first untolerated taint of the effects a filter
 * cares about, and the count of untolerated PreferNoSchedule taints that scoring uses.
 */

/** A node taint. */
export interface Taint {
  key: string
  value?: string
  effect: string
  timeAdded?: string
}

/** A pod toleration. */
export interface Toleration {
  key?: string
  operator?: string
  value?: string
  effect?: string
  tolerationSeconds?: number
}

/**
 * Toleration.ToleratesTaint: the effect matches (empty tolerates every effect), the key matches
 * (empty key with Exists tolerates every key), and for Equal (the default) the values are equal.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  const op = t.operator || 'Equal'
  if (op === 'Exists') return true
  if (op === 'Equal') return (t.value ?? '') === (taint.value ?? '')
  return false
}

/** Whether any toleration tolerates the taint. */
export function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true
  return false
}

/** The first taint with a NoSchedule or NoExecute effect that no toleration tolerates. */
export function firstUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue
    if (!tolerated(tolerations, taint)) return taint
  }
  return undefined
}

/** The number of PreferNoSchedule taints the pod does not tolerate (tolerations with an empty or PreferNoSchedule effect count). */
export function intolerablePreferNoSchedule(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let n = 0
  const relevant = tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule')
  for (const taint of taints) if (taint.effect === 'PreferNoSchedule' && !tolerated(relevant, taint)) n++
  return n
}

/** The TaintToleration filter's reason, as kube-scheduler words it. */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`
}
