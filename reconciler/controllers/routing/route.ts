/**
 * Routing one request through the cluster's Ingresses, pure over the objects given: which Ingress
 * and rule take it (select-rule.ts), which Service port and pods serve it (resolve-backend.ts), and
 * whether TLS terminates there and with which Secret (certificate.ts). Shared by `capstan route` and
 * the ingress controller.
 */
import type { KObject } from '../../api/object.js'
import { checkTlsSecret, type CertificateSummary, type TlsProblem } from './certificate.js'
import { isServedByCapstan } from './ingress-class.js'
import { matchHost } from './match.js'
import type { RouteRequest } from './request-url.js'
import { resolveServiceBackend, type BackendPod } from './resolve-backend.js'
import { compareIngressAge, selectRule, type IngressBackend } from './select-rule.js'

/** Everything routing reads. */
export interface RouteInput {
  request: RouteRequest
  ingresses: readonly KObject[]
  services: readonly KObject[]
  endpoints: readonly KObject[]
  /** Looks up a Secret (undefined when it does not exist). */
  secret(namespace: string, name: string): KObject | undefined
  now: Date
  /** Only this Ingress (`--ingress`). */
  only?: { namespace: string; name: string }
}

/** Whether and how TLS terminates for the request. */
export interface TlsOutcome {
  /** True when the request is https and a valid Secret of the serving Ingress covers its host. */
  terminates: boolean
  /** The Secret of the TLS entry that covers the host, if any. */
  secretName?: string
  /** The Ingress whose TLS entry it is (namespace/name). */
  ingress?: string
  /** Why TLS does not terminate there. */
  reason?: string
  problems?: TlsProblem[]
  certificate?: CertificateSummary
}

/** Where a request goes. */
export interface Route {
  request: RouteRequest
  ingress: { namespace: string; name: string }
  rule: { via: 'rule' | 'defaultBackend'; host: string; path?: string; pathType?: string }
  /** The Service (null for a resource backend). */
  service: { name: string; port: number | string; portName?: string; clusterIP?: string } | null
  resource?: IngressBackend['resource']
  /** The ready pods that would serve the request. */
  pods: BackendPod[]
  notReadyPods: BackendPod[]
  tls: TlsOutcome
  /** Why the request would fail past the Ingress (no such Service or port, no ready pods). */
  problems: string[]
}

/** The route, or why there is none. */
export type RouteOutcome = { route: Route } | { error: string }

/** Routes the request. */
export function routeRequest(input: RouteInput): RouteOutcome {
  const { request } = input
  let candidates = input.ingresses.filter(isServedByCapstan)
  if (input.only) {
    const { namespace, name } = input.only
    const ing = input.ingresses.find((i) => i.metadata.namespace === namespace && i.metadata.name === name)
    if (!ing) return { error: `ingresses.networking.k8s.io "${name}" not found` }
    if (!isServedByCapstan(ing)) return { error: `ingress "${namespace}/${name}" has class "${(ing.spec as { ingressClassName?: string }).ingressClassName ?? ''}": capstan's controller does not serve it` }
    candidates = [ing]
  }
  candidates = candidates.filter((i) => !i.metadata.deletionTimestamp)
  const url = `${request.scheme}://${request.host}${request.path}`
  if (!candidates.length) return { error: `no Ingress serves ${url}: there is none${input.only ? '' : ' of class capstan'}` }
  const sel = selectRule(candidates, request.host, request.path)
  if (!sel) return { error: `no Ingress rule matches ${url}` }
  const ns = sel.ingress.metadata.namespace ?? 'default'
  const resolved = resolveServiceBackend(sel.backend, ns, input.services, input.endpoints)
  const rule: Route['rule'] = { via: sel.via, host: sel.host }
  if (sel.via === 'rule') {
    rule.path = sel.path
    rule.pathType = sel.pathType
  }
  const route: Route = {
    request,
    ingress: { namespace: ns, name: sel.ingress.metadata.name! },
    rule,
    service: resolved ? { name: resolved.name, port: resolved.port } : null,
    pods: resolved?.ready ?? [],
    notReadyPods: resolved?.notReady ?? [],
    tls: tlsFor(sel.ingress, candidates, input),
    problems: resolved?.problems ?? [],
  }
  if (resolved && route.service) {
    if (resolved.portName) route.service.portName = resolved.portName
    if (resolved.clusterIP) route.service.clusterIP = resolved.clusterIP
  }
  if (sel.backend.resource) route.resource = sel.backend.resource
  return { route }
}

type TlsEntry = { hosts?: string[]; secretName?: string }

/** The TLS entry covering `host`: the serving Ingress's first (an entry without hosts covers all), else another Ingress's naming the host. */
function tlsEntryFor(serving: KObject, all: readonly KObject[], host: string): { ingress: KObject; entry: TlsEntry } | undefined {
  const covers = (e: TlsEntry, allowEmpty: boolean): boolean =>
    (e.hosts ?? []).length ? (e.hosts ?? []).some((h) => { const m = matchHost(h, host); return m === 'exact' || m === 'wildcard' }) : allowEmpty
  for (const e of ((serving.spec as { tls?: TlsEntry[] } | undefined)?.tls ?? [])) if (covers(e, true)) return { ingress: serving, entry: e }
  for (const ing of [...all].sort(compareIngressAge)) {
    if (ing === serving) continue
    for (const e of ((ing.spec as { tls?: TlsEntry[] } | undefined)?.tls ?? [])) if (covers(e, false)) return { ingress: ing, entry: e }
  }
  return undefined
}

function tlsFor(serving: KObject, all: readonly KObject[], input: RouteInput): TlsOutcome {
  const { request } = input
  const found = tlsEntryFor(serving, all, request.host)
  if (!found) {
    return { terminates: false, reason: `no TLS entry of ingress "${serving.metadata.namespace}/${serving.metadata.name}" covers host "${request.host}"` }
  }
  const ns = found.ingress.metadata.namespace ?? 'default'
  const out: TlsOutcome = { terminates: false, ingress: `${ns}/${found.ingress.metadata.name}` }
  if (!found.entry.secretName) {
    out.reason = 'its TLS entry has no secretName'
    return out
  }
  out.secretName = found.entry.secretName
  const check = checkTlsSecret(input.secret(ns, found.entry.secretName), found.entry.secretName, ns, [request.host], input.now)
  if (check.certificate) out.certificate = check.certificate
  if (check.problems.length) out.problems = check.problems
  if (request.scheme !== 'https') {
    out.reason = 'the request is plain HTTP'
    return out
  }
  if (check.problems.length) {
    out.reason = check.problems[0].message
    return out
  }
  out.terminates = true
  return out
}
