/** What an Ingress change does to routing: the hosts and the host+path pairs it gains or loses. */
import type { KObject } from '../../api/object.js'

type Rule = { host?: string; http?: { paths?: Array<{ path?: string }> } }

/** The hosts (`*` for a rule without host) and `host/path` routes of an Ingress. */
export function ingressRoutes(ing: KObject | undefined): { hosts: Set<string>; paths: Set<string> } {
  const rules = ((ing?.spec as { rules?: Rule[] } | undefined)?.rules ?? [])
  const hosts = new Set<string>()
  const paths = new Set<string>()
  for (const r of rules) {
    const host = r.host || '*'
    hosts.add(host)
    for (const p of r.http?.paths ?? []) paths.add(`${host}${p.path ?? '/'}`)
  }
  return { hosts, paths }
}

/** `gains host b.example; loses path a.example/api`, or undefined when routing does not change. */
export function ingressSummary(before: KObject | undefined, after: KObject | undefined): string | undefined {
  const b = ingressRoutes(before)
  const a = ingressRoutes(after)
  const diff = (x: Set<string>, y: Set<string>) => [...x].filter((v) => !y.has(v)).sort()
  const parts: string[] = []
  const gainedHosts = diff(a.hosts, b.hosts)
  const lostHosts = diff(b.hosts, a.hosts)
  const inHost = (hosts: string[]) => (p: string) => !hosts.some((h) => p.startsWith(h === '*' ? '*' : h) && p.slice(h.length).startsWith('/'))
  const gainedPaths = diff(a.paths, b.paths).filter(inHost(gainedHosts))
  const lostPaths = diff(b.paths, a.paths).filter(inHost(lostHosts))
  if (gainedHosts.length) parts.push(`gains host${gainedHosts.length > 1 ? 's' : ''} ${gainedHosts.join(', ')}`)
  if (lostHosts.length) parts.push(`loses host${lostHosts.length > 1 ? 's' : ''} ${lostHosts.join(', ')}`)
  if (gainedPaths.length) parts.push(`gains path${gainedPaths.length > 1 ? 's' : ''} ${gainedPaths.join(', ')}`)
  if (lostPaths.length) parts.push(`loses path${lostPaths.length > 1 ? 's' : ''} ${lostPaths.join(', ')}`)
  return parts.length ? parts.join('; ') : undefined
}
