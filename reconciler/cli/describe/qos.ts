/** qos.GetPodQOS: the pod's QoS class, from status.qosClass or computed from requests and limits. */
import { addQuantity, compareQuantity, parseQuantity, type Quantity, ZERO } from './quantity.js'

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> }
type PodLike = { spec?: { containers?: Array<{ resources?: Resources }>; initContainers?: Array<{ resources?: Resources }> }; status?: { qosClass?: string } }

const QOS_RESOURCES = new Set(['cpu', 'memory'])

/** Guaranteed, Burstable or BestEffort. */
export function podQOS(pod: PodLike): string {
  if (pod.status?.qosClass) return pod.status.qosClass
  const requests = new Map<string, Quantity>()
  const limits = new Map<string, Quantity>()
  let guaranteed = true
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const [name, raw] of Object.entries(c.resources?.requests ?? {})) {
      const q = parseQuantity(raw)
      if (!QOS_RESOURCES.has(name) || !q || compareQuantity(q, ZERO) <= 0) continue
      requests.set(name, requests.has(name) ? addQuantity(q, requests.get(name) as Quantity) : q)
    }
    const found = new Set<string>()
    for (const [name, raw] of Object.entries(c.resources?.limits ?? {})) {
      const q = parseQuantity(raw)
      if (!QOS_RESOURCES.has(name) || !q || compareQuantity(q, ZERO) <= 0) continue
      found.add(name)
      limits.set(name, limits.has(name) ? addQuantity(q, limits.get(name) as Quantity) : q)
    }
    if (!found.has('memory') || !found.has('cpu')) guaranteed = false
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name)
      if (!lim || compareQuantity(lim, req) !== 0) {
        guaranteed = false
        break
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}
