/**
 * Client-side apply, as `kubectl apply` does it without --server-side: the configuration is kept in
 * the `kubectl.kubernetes.io/last-applied-configuration` annotation, and each apply merges three
 * ways (last applied, new configuration, live object) so fields the user removed are removed and
 * fields others set are kept. Works over any ApiClient.
 */
import type { ApiClient, WriteOptions } from './client.js'
import { isNotFound } from './errors.js'
import { convertToStored } from './convert.js'
import { apiVersionOf, kindByName } from './kinds.js'
import { clone, isPlainObject, type KObject } from './object.js'
import { typeNodeFor } from './schema/index.js'
import { threeWayMerge } from './three-way-merge.js'

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** What an apply did to one object, in kubectl's words. */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged'

export interface ClientApplyResult {
  object: KObject
  outcome: ApplyOutcome
}

/** Object keys sorted as Go's encoding/json sorts map keys (kubectl marshals the configuration as a map). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (!isPlainObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = sortKeys(v[k])
  return out
}

/** The configuration as kubectl records it: compact Go-style JSON of the object without the annotation itself. */
function lastAppliedOf(config: KObject): string {
  const c = clone(config)
  const ann = { ...(c.metadata.annotations ?? {}) }
  delete ann[LAST_APPLIED]
  if (Object.keys(ann).length) c.metadata.annotations = ann
  else delete c.metadata.annotations
  const json = JSON.stringify(sortKeys(c)).replace(/[<>&\u2028\u2029]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
  return json + '\n'
}

/** Applies `config` client-side; `fieldManager` defaults to kubectl's `kubectl-client-side-apply`. */
export async function clientSideApply(client: ApiClient, config: KObject, opts: WriteOptions = {}): Promise<ClientApplyResult> {
  const writeOpts = { ...opts, fieldManager: opts.fieldManager ?? 'kubectl-client-side-apply' }
  const modified = clone(config)
  const k = kindByName(modified.kind)
  if (k) {
    const { warning } = convertToStored(modified, apiVersionOf(k))
    if (warning) opts.warnings?.push(warning)
  }
  modified.metadata.annotations = { ...(modified.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedOf(config) }
  const name = modified.metadata.name!
  let live: KObject | undefined
  try {
    live = await client.get(modified.kind, modified.metadata.namespace, name)
  } catch (err) {
    if (!isNotFound(err) || (err as Error).message.startsWith('the server')) throw err
  }
  if (!live) return { object: await client.create(modified, writeOpts), outcome: 'created' }
  const originalText = live.metadata.annotations?.[LAST_APPLIED]
  let original: Record<string, unknown> | undefined
  if (originalText) {
    try {
      const parsed: unknown = JSON.parse(originalText)
      if (isPlainObject(parsed)) {
        original = parsed
        if (k && typeof parsed.apiVersion === 'string' && parsed.apiVersion !== apiVersionOf(k)) convertToStored(parsed as KObject, apiVersionOf(k))
      }
    } catch {
      original = undefined
    }
  }
  const merged = threeWayMerge(original, modified, clone(live), k ? typeNodeFor(k.kind) : undefined) as KObject
  merged.metadata.resourceVersion = live.metadata.resourceVersion
  const updated = await client.update(merged, writeOpts)
  return { object: updated, outcome: updated.metadata.resourceVersion === live.metadata.resourceVersion ? 'unchanged' : 'configured' }
}
