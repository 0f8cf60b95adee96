/**
 * Which Ingress rule serves a request, across every Ingress the controller serves, as an nginx-style
 * ingress controller builds its configuration from them:
 *
 * 1. Hosts: the request goes to the most specific host that any rule names: an exact host, else a
 *    wildcard host, else the rules without a host (nginx's server_name order). Once a host is
 *    chosen, rules of other hosts are not consulted.
 * 2. Paths: among the rules of that host (from every Ingress naming it), the longest matching path
 *    wins, and on equal length `Exact` before `Prefix` (see match.ts); ties between Ingresses go to
 *    the oldest (creationTimestamp, then namespace/name), as ingress-nginx resolves conflicts.
 * 3. No path matches: the `defaultBackend` of the oldest Ingress that named the host; for a request
 *    that matched no host at all, the `defaultBackend` of the oldest Ingress that has one.
 */
import type { KObject } from '../../api/object.js'
import { HOST_RANK, matchHost, matchPath, pathPrecedence, type HostMatch } from './match.js'

/** An Ingress backend (networking.k8s.io/v1). */
export interface IngressBackend {
  service?: { name?: string; port?: { number?: number; name?: string } }
  resource?: { apiGroup?: string; kind?: string; name?: string }
}

type Rule = { host?: string; http?: { paths?: Array<{ path?: string; pathType?: string; backend?: IngressBackend }> } }
type Spec = { defaultBackend?: IngressBackend; rules?: Rule[] }

/** The rule (or default backend) chosen for a request. */
export interface SelectedRule {
  ingress: KObject
  /** `rule`: a path of a rule; `defaultBackend`: the Ingress's default backend. */
  via: 'rule' | 'defaultBackend'
  /** The rule's host as written (`''` for none); for a default backend, the host the request asked for matched nothing or no path. */
  host: string
  hostMatch?: HostMatch
  path?: string
  pathType?: string
  backend: IngressBackend
}

/** Oldest first, then by namespace/name. */
export function compareIngressAge(a: KObject, b: KObject): number {
  const ta = a.metadata.creationTimestamp ?? ''
  const tb = b.metadata.creationTimestamp ?? ''
  if (ta !== tb) return ta < tb ? -1 : 1
  const ka = `${a.metadata.namespace}/${a.metadata.name}`
  const kb = `${b.metadata.namespace}/${b.metadata.name}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** The rule serving `host` + `path` among `ingresses` (already filtered to the ones served), or undefined. */
export function selectRule(ingresses: readonly KObject[], host: string, path: string): SelectedRule | undefined {
  const sorted = [...ingresses].sort(compareIngressAge)
  // 1. The most specific host any rule names.
  let best: HostMatch | undefined
  for (const ing of sorted) {
    for (const rule of ((ing.spec ?? {}) as Spec).rules ?? []) {
      const m = matchHost(rule.host, host)
      if (m && (!best || HOST_RANK[m] < HOST_RANK[best])) best = m
    }
  }
  // 2. The longest matching path among that host's rules.
  let chosen: { sel: SelectedRule; prec: number } | undefined
  const namingHost: KObject[] = []
  if (best) {
    for (const ing of sorted) {
      let named = false
      for (const rule of ((ing.spec ?? {}) as Spec).rules ?? []) {
        if (matchHost(rule.host, host) !== best) continue
        named = true
        for (const p of rule.http?.paths ?? []) {
          if (!p.backend || !matchPath(p.pathType, p.path, path)) continue
          const prec = pathPrecedence(p.pathType, p.path)
          if (!chosen || prec > chosen.prec) {
            chosen = { prec, sel: { ingress: ing, via: 'rule', host: rule.host ?? '', hostMatch: best, path: p.path ?? '', pathType: p.pathType ?? 'ImplementationSpecific', backend: p.backend } }
          }
        }
      }
      if (named) namingHost.push(ing)
    }
  }
  if (chosen) return chosen.sel
  // 3. A default backend: of an Ingress naming the host, else of any Ingress (a host-less rule tier counts as no host).
  const pool = best && best !== 'any' ? namingHost : sorted
  const withDefault = pool.find((ing) => ((ing.spec ?? {}) as Spec).defaultBackend)
  if (!withDefault) return undefined
  return { ingress: withDefault, via: 'defaultBackend', host: '', backend: ((withDefault.spec ?? {}) as Spec).defaultBackend! }
}
