/** The kinds the API server serves: group, version, names, scope and which subresources they have. */

export interface KindInfo {
  group: string
  /** The version objects are stored and served at. */
  version: string
  kind: string
  listKind: string
  /** Lowercase plural resource name, as in URLs (`deployments`). */
  plural: string
  singular: string
  shortNames: string[]
  namespaced: boolean
  /** Has a status subresource: the main resource ignores status, `updateStatus` ignores the rest. */
  hasStatus: boolean
  /** Has a scale subresource (spec.replicas). */
  hasScale: boolean
  /** metadata.generation is kept and bumped when the spec changes. */
  generation: boolean
  /** Which name rule metadata.name follows. */
  nameRule: 'subdomain' | 'label' | 'dns1035'
  /** Categories (`kubectl get all`). */
  categories: string[]
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(k: Pick<KindInfo, 'group' | 'version'>): string {
  return k.group ? `${k.group}/${k.version}` : k.version
}

/** `deployments.apps`, or `pods` for the core group. */
export function qualifiedResource(k: Pick<KindInfo, 'group' | 'plural'>): string {
  return k.group ? `${k.plural}.${k.group}` : k.plural
}

function kind(
  group: string,
  version: string,
  name: string,
  plural: string,
  o: Partial<Omit<KindInfo, 'group' | 'version' | 'kind' | 'plural'>> = {},
): KindInfo {
  return {
    group,
    version,
    kind: name,
    listKind: `${name}List`,
    plural,
    singular: name.toLowerCase(),
    shortNames: [],
    namespaced: true,
    hasStatus: false,
    hasScale: false,
    generation: false,
    nameRule: 'subdomain',
    categories: [],
    ...o,
  }
}

/** Every kind capstan serves, in a stable order. */
export const KINDS: readonly KindInfo[] = [
  kind('', 'v1', 'Namespace', 'namespaces', { shortNames: ['ns'], namespaced: false, hasStatus: true, nameRule: 'label' }),
  kind('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  kind('', 'v1', 'Secret', 'secrets'),
  kind('', 'v1', 'Service', 'services', { shortNames: ['svc'], hasStatus: true, nameRule: 'dns1035', categories: ['all'] }),
  kind('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'], singular: 'endpoints' }),
  kind('', 'v1', 'Pod', 'pods', { shortNames: ['po'], hasStatus: true, categories: ['all'] }),
  kind('', 'v1', 'Node', 'nodes', { shortNames: ['no'], namespaced: false, hasStatus: true }),
  kind('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  kind('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    hasStatus: true,
    hasScale: true,
    generation: true,
    categories: ['all'],
  }),
  kind('apps', 'v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    hasStatus: true,
    hasScale: true,
    generation: true,
    categories: ['all'],
  }),
  kind('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    hasStatus: true,
    generation: true,
    categories: ['all'],
  }),
  kind('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { shortNames: ['ing'], hasStatus: true, generation: true }),
  kind('capstan.dev', 'v1alpha1', 'NodePool', 'nodepools', {
    shortNames: ['np'],
    namespaced: false,
    hasStatus: true,
    generation: true,
  }),
  kind('capstan.dev', 'v1alpha1', 'SyncRecord', 'syncrecords', { shortNames: ['sr'], namespaced: false }),
]

const byKind = new Map<string, KindInfo>()
const byResource = new Map<string, KindInfo>()
for (const k of KINDS) {
  byKind.set(k.kind, k)
  for (const n of [k.plural, k.singular, ...k.shortNames, k.kind.toLowerCase()]) {
    byResource.set(n, k)
    if (k.group) byResource.set(`${n}.${k.group}`, k)
  }
}

/** The kind registered under a Kind name (`Deployment`). */
export function kindByName(name: string): KindInfo | undefined {
  return byKind.get(name)
}

/**
 * The kind a user means by a resource word, as kubectl resolves it: plural, singular, short name or
 * kind, optionally qualified by group (`deployments.apps`, `deploy`, `Deployment`), any case.
 */
export function resolveResource(word: string): KindInfo | undefined {
  const w = word.toLowerCase()
  const found = byResource.get(w)
  if (found) return found
  // `deployments.v1.apps` (resource.version.group)
  const dot = w.indexOf('.')
  if (dot > 0) {
    const rest = w.slice(dot + 1)
    const v = rest.indexOf('.')
    if (v > 0) {
      const k = byResource.get(w.slice(0, dot) + '.' + rest.slice(v + 1))
      if (k && k.version === rest.slice(0, v)) return k
    }
  }
  return undefined
}
