/**
 * The ingress controller's checkpoint (see Checkpoint in runtime/types.ts): which Ingresses name
 * each Secret in their TLS entries (a Secret's change re-checks them), by `namespace/name` keys.
 *
 * Example: { format: 1, secrets: [['shop/web-tls', ['shop/web', 'shop/api']]] }.
 */
import { isPlainObject } from '../../api/object.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const INGRESS_CHECKPOINT_FORMAT = 1

/** The saved data. */
export interface IngressCheckpoint {
  format: number
  /** Per Secret named by an Ingress served: its key and the keys of the Ingresses naming it. */
  secrets: Array<[string, string[]]>
}

/** The checkpoint in `data`, or undefined when it is not one of this format (never throws). */
export function decodeIngressCheckpoint(data: unknown): IngressCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== INGRESS_CHECKPOINT_FORMAT || !Array.isArray(data.secrets)) return undefined
  const secrets: IngressCheckpoint['secrets'] = []
  const seen = new Set<string>()
  for (const row of data.secrets) {
    if (!Array.isArray(row) || row.length !== 2) return undefined
    const [secret, ings] = row as unknown[]
    if (!isKey(secret) || seen.has(secret) || !Array.isArray(ings) || !ings.length || !ings.every(isKey) || new Set(ings).size !== ings.length) return undefined
    seen.add(secret)
    secrets.push([secret, ings])
  }
  return { format: INGRESS_CHECKPOINT_FORMAT, secrets }
}

/** Whether `v` is a `namespace/name` key (both parts non-empty, as the Secret watch splits it). */
function isKey(v: unknown): v is string {
  if (typeof v !== 'string') return false
  const parts = v.split('/')
  return parts.length === 2 && parts[0] !== '' && parts[1] !== ''
}
