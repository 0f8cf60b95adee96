/**
 * From an Ingress backend to what serves it: the Service port it names (by number or by name), the
 * target port its Endpoints resolved, and the pods behind it (ready ones serve; not-ready ones are
 * listed apart), as a kube-proxy or an ingress controller reading Endpoints would see them.
 */
import type { KObject } from '../../api/object.js'
import type { IngressBackend } from './select-rule.js'

/** A pod behind a Service port. */
export interface BackendPod {
  name: string
  ip: string
  node?: string
  port: number
}

/** The resolved Service backend. */
export interface ResolvedService {
  name: string
  namespace: string
  /** The Service port (a number; the backend's port name when the Service is missing). */
  port: number | string
  portName?: string
  /** The Service's cluster IP, when it has one. */
  clusterIP?: string
  ready: BackendPod[]
  notReady: BackendPod[]
  /** Why traffic cannot reach a pod (missing Service or port, no ready endpoints). */
  problems: string[]
}

type ServicePort = { name?: string; port?: number; protocol?: string }
type Subset = {
  addresses?: Array<{ ip: string; nodeName?: string; targetRef?: { name?: string } }>
  notReadyAddresses?: Array<{ ip: string; nodeName?: string; targetRef?: { name?: string } }>
  ports?: Array<{ name?: string; port: number; protocol?: string }>
}

/** Resolves a Service backend in `namespace` against the Services and Endpoints there. */
export function resolveServiceBackend(backend: IngressBackend, namespace: string, services: readonly KObject[], endpoints: readonly KObject[]): ResolvedService | undefined {
  const ref = backend.service
  if (!ref) return undefined
  const name = ref.name ?? ''
  const out: ResolvedService = { name, namespace, port: ref.port?.number ?? ref.port?.name ?? '', ready: [], notReady: [], problems: [] }
  const svc = services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name)
  if (!svc) {
    out.problems.push(`services "${name}" not found`)
    return out
  }
  const spec = (svc.spec ?? {}) as { ports?: ServicePort[]; clusterIP?: string }
  if (spec.clusterIP && spec.clusterIP !== 'None') out.clusterIP = spec.clusterIP
  const sp = (spec.ports ?? []).find((p) => (ref.port?.number ? p.port === ref.port.number : ref.port?.name ? p.name === ref.port.name : false))
  if (!sp) {
    out.problems.push(`service "${name}" has no port ${ref.port?.number ?? ref.port?.name ?? '<none>'}`)
    return out
  }
  out.port = sp.port ?? out.port
  if (sp.name) out.portName = sp.name
  const ep = endpoints.find((e) => e.metadata.namespace === namespace && e.metadata.name === name)
  for (const subset of ((ep?.subsets ?? []) as Subset[])) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === (sp.name ?? '') && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'))
    if (!port) continue
    const pod = (a: { ip: string; nodeName?: string; targetRef?: { name?: string } }): BackendPod => {
      const p: BackendPod = { name: a.targetRef?.name ?? a.ip, ip: a.ip, port: port.port }
      if (a.nodeName) p.node = a.nodeName
      return p
    }
    out.ready.push(...(subset.addresses ?? []).map(pod))
    out.notReady.push(...(subset.notReadyAddresses ?? []).map(pod))
  }
  const byName = (a: BackendPod, b: BackendPod): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  out.ready.sort(byName)
  out.notReady.sort(byName)
  if (!out.ready.length) out.problems.push(`service "${name}" has no ready endpoints`)
  return out
}
