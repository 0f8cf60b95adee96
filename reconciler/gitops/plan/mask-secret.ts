/**
 * Secret values never appear in a plan: each value of `data` becomes `(sensitive, N bytes)` — with
 * `, changed` on the new side when the value differs from the live one — so a diff shows which keys
 * were added, removed or changed, and their sizes, and nothing else.
 */

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

function decodedLength(v: unknown): number {
  return typeof v === 'string' ? Buffer.from(v, 'base64').length : 0
}

/** The masked text of one Secret value. */
export function maskedValue(value: unknown, changed = false): string {
  return `(sensitive, ${decodedLength(value)} bytes${changed ? ', changed' : ''})`
}

/** Masks the `data` (and any `stringData`) of the live and the new Secret, marking values that changed; other kinds pass through. */
export function maskSecrets(live: Record<string, unknown> | undefined, next: Record<string, unknown> | undefined): [Record<string, unknown> | undefined, Record<string, unknown> | undefined] {
  const kind = (next ?? live)?.kind
  if (kind !== 'Secret') return [live, next]
  const liveData = ((live?.data ?? {}) as Record<string, unknown>)
  const mask = (o: Record<string, unknown> | undefined, isNew: boolean): Record<string, unknown> | undefined => {
    if (!o) return o
    const out = { ...o }
    for (const field of ['data', 'stringData']) {
      const d = o[field] as Record<string, unknown> | undefined
      if (!d || typeof d !== 'object') continue
      const masked: Record<string, string> = {}
      for (const [k, v] of Object.entries(d)) {
        const value = field === 'stringData' ? Buffer.from(String(v)).toString('base64') : v
        masked[k] = maskedValue(value, isNew && k in liveData && liveData[k] !== value)
      }
      out[field] = masked
    }
    // kubectl's client-side apply keeps the whole Secret, values included, in an annotation.
    const meta = o.metadata as { annotations?: Record<string, string> } | undefined
    const last = meta?.annotations?.[LAST_APPLIED]
    if (last !== undefined) out.metadata = { ...meta, annotations: { ...meta!.annotations, [LAST_APPLIED]: `(sensitive, ${Buffer.byteLength(last)} bytes)` } }
    return out
  }
  return [mask(live, false), mask(next, true)]
}
