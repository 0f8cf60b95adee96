/**
 * Discovery documents as kube-apiserver serves them: `/api`, `/apis`, the APIResourceList of each
 * group version, and aggregated discovery (apidiscovery.k8s.io v2 and v2beta1) for clients that ask.
 */
import { apiVersionOf, KINDS, type KindInfo } from '../api/kinds.js'
import { EXTRA_VERSIONS, extraKindsAt } from '../api/served-versions.js'

/** The verbs of a main resource and of its subresources. */
export const RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
export const SUBRESOURCE_VERBS = ['get', 'patch', 'update']

/** A group with the versions served for it (one each here), in kube-apiserver's order. */
export interface ServedGroup {
  name: string
  versions: string[]
}

/** The groups served, the core group ("") first. */
export function servedGroups(): ServedGroup[] {
  const out: ServedGroup[] = []
  for (const k of KINDS) {
    let g = out.find((x) => x.name === k.group)
    if (!g) out.push((g = { name: k.group, versions: [] }))
    if (!g.versions.includes(k.version)) g.versions.push(k.version)
  }
  // Extra versions after the stored one, which stays preferred (autoscaling: v2, then v1).
  for (const e of EXTRA_VERSIONS) {
    const g = out.find((x) => x.name === e.group)
    if (g && !g.versions.includes(e.version)) g.versions.push(e.version)
  }
  return out
}

/** The kinds of one group version. */
export function kindsOf(group: string, version: string): KindInfo[] {
  return [...KINDS.filter((k) => k.group === group && k.version === version), ...extraKindsAt(group, version)]
}

/** `/api`: the core group's versions. */
export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }
}

/** `/apis`: every named group. */
export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups()
      .filter((g) => g.name !== '')
      .map((g) => {
        const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }))
        return { name: g.name, versions, preferredVersion: versions[0] }
      }),
  }
}

/** `/apis/GROUP/VERSION` or `/api/v1`: the APIResourceList, or undefined when not served. */
export function apiResourceList(group: string, version: string): unknown {
  const kinds = kindsOf(group, version)
  if (kinds.length === 0) return undefined
  const resources: Record<string, unknown>[] = []
  for (const k of kinds) {
    const main: Record<string, unknown> = {
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: RESOURCE_VERBS,
    }
    if (k.shortNames.length) main.shortNames = k.shortNames
    if (k.categories.length) main.categories = k.categories
    resources.push(main)
    if (k.hasScale) {
      resources.push({ name: `${k.plural}/scale`, singularName: '', namespaced: k.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUBRESOURCE_VERBS })
    }
    if (k.hasStatus) resources.push({ name: `${k.plural}/status`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: SUBRESOURCE_VERBS })
    if (k.kind === 'Pod') resources.push({ name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] })
  }
  resources.sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1))
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources }
}

function discoveryResource(k: KindInfo): Record<string, unknown> {
  const subresources: Record<string, unknown>[] = []
  if (k.hasScale) subresources.push({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: SUBRESOURCE_VERBS })
  if (k.hasStatus) subresources.push({ subresource: 'status', responseKind: { group: '', version: '', kind: k.kind }, verbs: SUBRESOURCE_VERBS })
  if (k.kind === 'Pod') subresources.push({ subresource: 'binding', responseKind: { group: '', version: '', kind: 'Binding' }, verbs: ['create'] })
  const r: Record<string, unknown> = {
    resource: k.plural,
    responseKind: { group: '', version: '', kind: k.kind },
    scope: k.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: k.singular,
    verbs: RESOURCE_VERBS,
  }
  if (k.shortNames.length) r.shortNames = k.shortNames
  if (k.categories.length) r.categories = k.categories
  if (subresources.length) r.subresources = subresources
  return r
}

/** Aggregated discovery of the core group (`/api`) or of the named groups (`/apis`). */
export function aggregatedDiscovery(core: boolean, version: 'v2' | 'v2beta1'): unknown {
  const items = servedGroups()
    .filter((g) => (g.name === '') === core)
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: kindsOf(g.name, v)
          .map(discoveryResource)
          .sort((a, b) => (String(a.resource) < String(b.resource) ? -1 : 1)),
        freshness: 'Current',
      })),
    }))
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items }
}
