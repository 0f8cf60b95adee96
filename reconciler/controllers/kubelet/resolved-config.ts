/**
 * What a pod's containers really got from ConfigMaps and Secrets, recorded on the pod as the
 * annotation `capstan.dev/resolved-config` (JSON) so that `describe pod` can show it:
 *
 * - per container, the environment built when it started (kubelet's makeEnvironmentVariables:
 *   `envFrom` sources in order, each key prefixed, keys that are not valid variable names skipped;
 *   then `env`, later names overriding earlier ones). Secret values are never recorded: they read
 *   `(sensitive, N bytes)`. A running container's environment never changes.
 * - per configMap/secret volume (and projected sources), the files it holds: `items` map a key to a
 *   path, else every key is a file; the mode is the item's, else `defaultMode`, else 0644. Volume
 *   contents follow ConfigMap/Secret updates after VOLUME_SYNC_DELAY_MS, as the kubelet's periodic
 *   sync does.
 */
import type { Container, EnvVar, Volume } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'

/** The annotation holding the record. */
export const RESOLVED_CONFIG_ANNOTATION = 'capstan.dev/resolved-config'
/**
 * How long a ConfigMap or Secret change takes to reach mounted volumes: the kubelet's sync period
 * (1 minute); with the default Watch change-detection strategy the cache adds nothing noticeable.
 */
export const VOLUME_SYNC_DELAY_MS = 60_000
/** ConfigMap values longer than this are recorded cut, with their size. */
const MAX_VALUE = 1024

/** One environment variable as the container got it. */
export interface ResolvedEnvVar {
  name: string
  /** The value (absent for a Secret's: see `sensitive`). */
  value?: string
  /** Set for values from Secrets: only the size is recorded. */
  sensitive?: boolean
  bytes?: number
  /** Where it came from: `value`, `configmap/<name>[<key>]`, `secret/<name>[<key>]`, `fieldRef`, `resourceFieldRef`. */
  from: string
}

/** One file of a volume. */
export interface ResolvedFile {
  path: string
  key: string
  mode: number
  bytes: number
  value?: string
  sensitive?: boolean
  from: string
}

/** The record. */
export interface ResolvedConfig {
  containers: Record<string, { resolvedAt: string; env: ResolvedEnvVar[] }>
  volumes: Record<string, { syncedAt: string; files: ResolvedFile[] }>
}

/** Reads a ConfigMap or Secret of the pod's namespace (undefined: missing). */
export type ObjectLookup = (resource: 'configmaps' | 'secrets', name: string) => Promise<KObject | undefined>

/** kubelet's IsEnvVarName: letters, digits, `_`, `-`, `.`, not starting with a digit. */
export function isEnvVarName(name: string): boolean {
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)
}

/** The key → value pairs of a ConfigMap (data, binaryData decoded) or Secret (data decoded). */
function entries(obj: KObject, resource: 'configmaps' | 'secrets'): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const data = (obj.data ?? {}) as Record<string, string>
  for (const [k, v] of Object.entries(data)) out.push([k, resource === 'secrets' ? Buffer.from(v, 'base64').toString('utf8') : v])
  if (resource === 'configmaps') for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) out.push([k, Buffer.from(v, 'base64').toString('utf8')])
  return out
}

function valueOf(resource: 'configmaps' | 'secrets', value: string): { value?: string; sensitive?: boolean; bytes?: number } {
  const bytes = Buffer.byteLength(value)
  if (resource === 'secrets') return { sensitive: true, bytes }
  return bytes > MAX_VALUE ? { value: value.slice(0, MAX_VALUE), bytes } : { value }
}

const tag = (resource: 'configmaps' | 'secrets', name: string, key: string): string => `${resource === 'configmaps' ? 'configmap' : 'secret'}/${name}[${key}]`

/** The environment a container starts with. */
export async function resolveEnv(c: Container, lookup: ObjectLookup): Promise<ResolvedEnvVar[]> {
  const vars = new Map<string, ResolvedEnvVar>()
  for (const from of c.envFrom ?? []) {
    const src = from.configMapRef ? { resource: 'configmaps' as const, name: from.configMapRef.name ?? '' } : from.secretRef ? { resource: 'secrets' as const, name: from.secretRef.name ?? '' } : undefined
    if (!src) continue
    const obj = await lookup(src.resource, src.name)
    if (!obj) continue
    for (const [k, v] of entries(obj, src.resource)) {
      const name = `${from.prefix ?? ''}${k}`
      if (!isEnvVarName(name)) continue
      vars.set(name, { name, ...valueOf(src.resource, v), from: tag(src.resource, src.name, k) })
    }
  }
  for (const e of (c.env ?? []) as EnvVar[]) {
    const vf = e.valueFrom
    const ref = vf?.configMapKeyRef ? { resource: 'configmaps' as const, r: vf.configMapKeyRef } : vf?.secretKeyRef ? { resource: 'secrets' as const, r: vf.secretKeyRef } : undefined
    if (ref) {
      const obj = await lookup(ref.resource, ref.r.name ?? '')
      const hit = obj && entries(obj, ref.resource).find(([k]) => k === ref.r.key)
      if (!hit) continue // optional and missing: the variable is not set
      vars.set(e.name, { name: e.name, ...valueOf(ref.resource, hit[1]), from: tag(ref.resource, ref.r.name ?? '', ref.r.key) })
    } else if (vf?.fieldRef) vars.set(e.name, { name: e.name, from: 'fieldRef' })
    else if (vf?.resourceFieldRef) vars.set(e.name, { name: e.name, from: 'resourceFieldRef' })
    else vars.set(e.name, { name: e.name, value: e.value ?? '', from: 'value' })
  }
  return [...vars.values()]
}

type Source = { resource: 'configmaps' | 'secrets'; name: string; items?: Array<{ key: string; path: string; mode?: number }>; defaultMode?: number }

/** The files of each configMap, secret or projected volume. */
export async function resolveVolumes(pod: KObject, lookup: ObjectLookup): Promise<Record<string, ResolvedFile[]>> {
  const out: Record<string, ResolvedFile[]> = {}
  for (const v of ((pod.spec as { volumes?: Volume[] } | undefined)?.volumes ?? []) as Volume[]) {
    const sources: Source[] = []
    if (v.configMap) sources.push({ resource: 'configmaps', name: v.configMap.name ?? '', items: v.configMap.items, defaultMode: v.configMap.defaultMode })
    if (v.secret) sources.push({ resource: 'secrets', name: v.secret.secretName ?? '', items: v.secret.items, defaultMode: v.secret.defaultMode })
    const projected = (v as { projected?: { defaultMode?: number; sources?: Array<Record<string, { name?: string; items?: Source['items'] }>> } }).projected
    for (const s of projected?.sources ?? []) {
      if (s.configMap) sources.push({ resource: 'configmaps', name: s.configMap.name ?? '', items: s.configMap.items, defaultMode: projected?.defaultMode })
      if (s.secret) sources.push({ resource: 'secrets', name: s.secret.name ?? '', items: s.secret.items, defaultMode: projected?.defaultMode })
    }
    if (!sources.length) continue
    const files: ResolvedFile[] = []
    for (const s of sources) {
      const obj = await lookup(s.resource, s.name)
      if (!obj) continue
      const all = entries(obj, s.resource)
      const mode = (m?: number): number => m ?? s.defaultMode ?? 0o644
      const picked = s.items?.length
        ? s.items.flatMap((it) => all.filter(([k]) => k === it.key).map(([k, val]) => ({ path: it.path, key: k, val, mode: mode(it.mode) })))
        : all.map(([k, val]) => ({ path: k, key: k, val, mode: mode() }))
      for (const p of picked) files.push({ path: p.path, key: p.key, mode: p.mode, bytes: Buffer.byteLength(p.val), ...valueOf(s.resource, p.val), from: tag(s.resource, s.name, p.key) })
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    out[v.name] = files
  }
  return out
}

/** The record on a pod (empty when it has none or it does not parse). */
export function readResolvedConfig(pod: { metadata?: { annotations?: Record<string, string> } }): ResolvedConfig {
  const text = pod.metadata?.annotations?.[RESOLVED_CONFIG_ANNOTATION]
  try {
    const r = text ? (JSON.parse(text) as ResolvedConfig) : undefined
    return { containers: r?.containers ?? {}, volumes: r?.volumes ?? {} }
  } catch {
    return { containers: {}, volumes: {} }
  }
}
