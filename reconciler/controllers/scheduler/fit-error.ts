/**
 * The message kube-scheduler writes when no node fits (framework.FitError): how many nodes there
 * are, a histogram of the filter reasons sorted as strings, then what preemption found.
 *
 *   0/9 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: },
 *   6 Insufficient cpu. preemption: 0/9 nodes are available: 3 Preemption is not helpful for
 *   scheduling, 6 No preemption victims found for incoming pod.
 *
 * Preemption (DefaultPreemption's dry run, simplified — capstan does not evict for priority): a
 * node that failed for a reason preemption cannot change (taints, unschedulable, node affinity,
 * a missing topology label) counts as "Preemption is not helpful for scheduling"; any other counts
 * as "No preemption victims found for incoming pod".
 */

/** Why one node was filtered out: its reasons, and whether preemption could not help. */
export interface NodeFailure {
  reasons: string[]
  unresolvable: boolean
}

const histogram = (reasons: Iterable<string>): string => {
  const counts = new Map<string, number>()
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1)
  const parts = [...counts].map(([r, n]) => `${n} ${r}`)
  // sort.Strings: byte order.
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return parts.join(', ')
}

/** The FailedScheduling message for `numAllNodes` nodes and the failures found. */
export function fitErrorMessage(numAllNodes: number, failures: readonly NodeFailure[]): string {
  let msg = `0/${numAllNodes} nodes are available:`
  const filter = histogram(failures.flatMap((f) => f.reasons))
  if (filter) msg += ` ${filter}.`
  const preemption = histogram(failures.map((f) => (f.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod')))
  msg += ` preemption: 0/${numAllNodes} nodes are available:`
  if (preemption) msg += ` ${preemption}.`
  return msg
}
