/**
 * What metrics-server would report for the simulated pods: each running pod's cpu and memory usage
 * under the load model. Which pods have metrics: those Running and not terminating (metrics-server
 * scrapes the containers that run). Their usage:
 *   - the pod's own load (`sim load pod/NAME`) when it has one;
 *   - else its Deployment's load, which reaches ready pods only (traffic goes to ready pods): an
 *     average per pod as given, or a total divided evenly among the Deployment's ready pods;
 *   - else 0 (idle). A running pod that is not ready uses 0 of its Deployment's load.
 * Worked example: `--total-cpu 8` on a Deployment with 4 ready pods and 1 starting → 2000m each,
 * 0 for the starting one (a Pending pod has no metrics at all).
 */
import type { KObject } from '../../api/object.js'
import { controllerRefOf, isPodReady, podStatus } from '../replicaset/pod-util.js'
import { loadKey, type DeploymentLoad, type LoadModel } from './load-model.js'
import { milliValue } from './milli-quantity.js'

/** One pod's usage in milli-units: millicores of cpu, milli-bytes of memory (what Quantity.MilliValue gives). */
export interface PodUsage {
  cpu: number
  memory: number
}

/** The resources the simulation reports. */
export type ResourceName = 'cpu' | 'memory'

/** Whether metrics-server would have metrics for the pod: Running and not terminating. */
export function hasMetrics(pod: KObject): boolean {
  return podStatus(pod).phase === 'Running' && !pod.metadata.deletionTimestamp
}

/**
 * The Deployment a pod belongs to, as `namespace/name`: its controller is a ReplicaSet named
 * `<deployment>-<pod-template-hash>` (how the Deployment controller names them).
 */
export function deploymentOf(pod: KObject): string | undefined {
  const ref = controllerRefOf(pod)
  const hash = pod.metadata.labels?.['pod-template-hash']
  if (!ref || ref.kind !== 'ReplicaSet' || !hash || !ref.name.endsWith(`-${hash}`)) return undefined
  return loadKey(pod.metadata.namespace ?? 'default', ref.name.slice(0, -hash.length - 1))
}

const milli = (q: string | undefined): number | undefined => (q === undefined ? undefined : milliValue(q))

/** A Deployment's share for one ready pod of `readyPeers`: the per-pod value, or the total split evenly (rounded down to the milli-unit). */
function share(load: DeploymentLoad | undefined, per: 'cpu' | 'memory', total: 'totalCpu' | 'totalMemory', readyPeers: number): number {
  const each = milli(load?.[per])
  if (each !== undefined) return each
  const all = milli(load?.[total])
  if (all !== undefined && readyPeers > 0) return Math.floor(all / readyPeers)
  return 0
}

/**
 * The usage metrics-server would report for `pod`, or undefined when it has no metrics.
 * `readyPeers` is how many ready pods its Deployment has (a total load is divided among them).
 */
export function podUsage(pod: KObject, model: LoadModel, readyPeers: number): PodUsage | undefined {
  if (!hasMetrics(pod)) return undefined
  const own = model.pods[loadKey(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '')]
  const deployment = deploymentOf(pod)
  const load = deployment && isPodReady(pod) ? model.deployments[deployment] : undefined
  const cpu = milli(own?.cpu) ?? share(load, 'cpu', 'totalCpu', readyPeers)
  const memory = milli(own?.memory) ?? share(load, 'memory', 'totalMemory', readyPeers)
  return { cpu, memory }
}

/**
 * The usage of every pod in `pods` that has metrics, by pod name. A Deployment's total is divided
 * among its ready pods in `pods` (pass all of the Deployment's pods: the HPA passes the pods its
 * target's selector matches).
 */
export function podUsages(pods: readonly KObject[], model: LoadModel): Map<string, PodUsage> {
  const ready = new Map<string, number>()
  for (const p of pods) {
    if (!hasMetrics(p) || !isPodReady(p)) continue
    const d = deploymentOf(p)
    if (d) ready.set(d, (ready.get(d) ?? 0) + 1)
  }
  const out = new Map<string, PodUsage>()
  for (const p of pods) {
    const d = deploymentOf(p)
    const u = podUsage(p, model, d ? ready.get(d) ?? 0 : 0)
    if (u) out.set(p.metadata.name ?? '', u)
  }
  return out
}
