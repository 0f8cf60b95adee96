/**
 * formatEndpointSlices over a core/v1 Endpoints object. kubectl 1.32 reads the Service's
 * EndpointSlices; capstan keeps Endpoints, so each subset stands for one slice: its ports, its ready
 * addresses, then its not-ready ones. The output is the same as for the slices the EndpointSlice
 * controller would mirror.
 */
import type { KubeObject } from './types.js'

type Subset = {
  addresses?: Array<{ ip?: string }>
  notReadyAddresses?: Array<{ ip?: string }>
  ports?: Array<{ name?: string; port?: number }>
}

const MAX = 3

/** net.JoinHostPort: IPv6 addresses in brackets. */
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)

/**
 * "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...": ready addresses of the ports named in
 * `portNames` (all ports when undefined); "<none>" when there is no Endpoints object.
 */
export function formatEndpoints(endpoints: KubeObject | undefined, portNames?: Set<string>): string {
  if (!endpoints) return '<none>'
  const subsets = (endpoints.subsets ?? []) as Subset[]
  // An Endpoints object without subsets is the controller's placeholder slice: no ports, no endpoints.
  const slices = subsets.length > 0 ? subsets : [{}]
  const list: string[] = []
  let more = false
  let count = 0
  for (const ss of slices) {
    const eps = [
      ...(ss.addresses ?? []).map((a) => ({ ip: a.ip ?? '', ready: true })),
      ...(ss.notReadyAddresses ?? []).map((a) => ({ ip: a.ip ?? '', ready: false })),
    ]
    const ports = ss.ports ?? []
    if (ports.length === 0) {
      for (const ep of eps) {
        if (list.length === MAX) more = true
        if (!ep.ready) continue
        if (!more) list.push(ep.ip)
        count++
      }
      continue
    }
    for (const port of ports) {
      if (portNames && !portNames.has(port.name ?? '')) continue
      for (const ep of eps) {
        if (list.length === MAX) more = true
        if (!ep.ready) continue
        if (!more) list.push(joinHostPort(ep.ip, port.port ?? 0))
        count++
      }
    }
  }
  const ret = list.join(',')
  return more ? `${ret} + ${count - MAX} more...` : ret
}
