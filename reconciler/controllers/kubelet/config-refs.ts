/**
 * What a pod needs from ConfigMaps and Secrets before its containers can start, checked as the
 * kubelet checks it: volumes are mounted first (a missing object keeps the pod in ContainerCreating
 * with FailedMount events), then each container's environment is built (a missing object or key
 * gives CreateContainerConfigError). References marked optional are skipped when missing.
 */
import type { Container, EnvFromSource, EnvVar, Volume } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'

/** Looks up a ConfigMap's or Secret's keys in the pod's namespace: undefined when it does not exist. */
export type KeyLookup = (resource: 'configmaps' | 'secrets', name: string) => Promise<Set<string> | undefined>

/** The keys of a ConfigMap (data and binaryData) or Secret (data). */
export function keysOf(obj: KObject): Set<string> {
  const keys = new Set<string>()
  for (const field of ['data', 'binaryData', 'stringData']) {
    const m = obj[field]
    if (m && typeof m === 'object') for (const k of Object.keys(m)) keys.add(k)
  }
  return keys
}

const singular = { configmaps: 'configmap', secrets: 'secret' } as const

/** The kubelet's not-found message (its object managers name the resource in the singular). */
function notFoundMessage(resource: 'configmaps' | 'secrets', name: string): string {
  return `${singular[resource]} "${name}" not found`
}

/** The first problem building a container's environment (makeEnvironmentVariables), or undefined. */
export async function containerConfigError(pod: KObject, c: Container, lookup: KeyLookup): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? 'default'
  for (const from of (c.envFrom ?? []) as EnvFromSource[]) {
    const ref = from.configMapRef ? { resource: 'configmaps' as const, r: from.configMapRef } : from.secretRef ? { resource: 'secrets' as const, r: from.secretRef } : undefined
    if (!ref) continue
    const keys = await lookup(ref.resource, ref.r.name ?? '')
    if (!keys && !ref.r.optional) return notFoundMessage(ref.resource, ref.r.name ?? '')
  }
  for (const env of (c.env ?? []) as EnvVar[]) {
    const vf = env.valueFrom
    const sel = vf?.configMapKeyRef
      ? { resource: 'configmaps' as const, kind: 'ConfigMap', r: vf.configMapKeyRef }
      : vf?.secretKeyRef
        ? { resource: 'secrets' as const, kind: 'Secret', r: vf.secretKeyRef }
        : undefined
    if (!sel) continue
    const name = sel.r.name ?? ''
    const keys = await lookup(sel.resource, name)
    if (!keys) {
      if (sel.r.optional) continue
      return notFoundMessage(sel.resource, name)
    }
    if (!keys.has(sel.r.key)) {
      if (sel.r.optional) continue
      return `couldn't find key ${sel.r.key} in ${sel.kind} ${ns}/${name}`
    }
  }
  return undefined
}

/** A volume that cannot be set up, with the kubelet's FailedMount message. */
export interface VolumeProblem {
  volume: string
  message: string
}

/** The first configMap or secret volume (or projected source) that cannot be set up, or undefined. */
export async function volumeProblem(pod: KObject, lookup: KeyLookup): Promise<VolumeProblem | undefined> {
  const volumes = ((pod.spec as { volumes?: Volume[] } | undefined)?.volumes ?? []) as Volume[]
  for (const v of volumes) {
    const sources: Array<{ resource: 'configmaps' | 'secrets'; name: string; optional?: boolean; items?: Array<{ key: string }> }> = []
    if (v.configMap) sources.push({ resource: 'configmaps', name: v.configMap.name ?? '', optional: v.configMap.optional, items: v.configMap.items })
    if (v.secret) sources.push({ resource: 'secrets', name: v.secret.secretName ?? '', optional: v.secret.optional, items: v.secret.items })
    const projected = (v as { projected?: { sources?: Array<Record<string, { name?: string; optional?: boolean; items?: Array<{ key: string }> }>> } }).projected
    for (const s of projected?.sources ?? []) {
      if (s.configMap) sources.push({ resource: 'configmaps', name: s.configMap.name ?? '', optional: s.configMap.optional, items: s.configMap.items })
      if (s.secret) sources.push({ resource: 'secrets', name: s.secret.name ?? '', optional: s.secret.optional, items: s.secret.items })
    }
    for (const s of sources) {
      const keys = await lookup(s.resource, s.name)
      const prefix = `MountVolume.SetUp failed for volume "${v.name}" : `
      if (!keys) {
        if (s.optional) continue
        return { volume: v.name, message: prefix + notFoundMessage(s.resource, s.name) }
      }
      for (const item of s.items ?? []) {
        if (!keys.has(item.key) && !s.optional) {
          const what = s.resource === 'configmaps' ? 'configmap references non-existent config key' : 'references non-existent secret key'
          return { volume: v.name, message: prefix + `${what}: ${item.key}` }
        }
      }
    }
  }
  return undefined
}

/** The ConfigMaps and Secrets a pod refers to (env, envFrom, volumes), as `configmaps/<name>` and `secrets/<name>`. */
export function referencedObjects(pod: KObject): string[] {
  const out = new Set<string>()
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[]; volumes?: Volume[] }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) out.add(`configmaps/${f.configMapRef.name}`)
      if (f.secretRef?.name) out.add(`secrets/${f.secretRef.name}`)
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) out.add(`configmaps/${e.valueFrom.configMapKeyRef.name}`)
      if (e.valueFrom?.secretKeyRef?.name) out.add(`secrets/${e.valueFrom.secretKeyRef.name}`)
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap?.name) out.add(`configmaps/${v.configMap.name}`)
    if (v.secret?.secretName) out.add(`secrets/${v.secret.secretName}`)
    const projected = (v as { projected?: { sources?: Array<Record<string, { name?: string }>> } }).projected
    for (const s of projected?.sources ?? []) {
      if (s.configMap?.name) out.add(`configmaps/${s.configMap.name}`)
      if (s.secret?.name) out.add(`secrets/${s.secret.name}`)
    }
  }
  return [...out]
}
