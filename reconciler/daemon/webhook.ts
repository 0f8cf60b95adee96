/** Push webhooks: GitHub (`X-Hub-Signature-256: sha256=HMAC`) and GitLab (`X-Gitlab-Token`), verified with the shared secret. */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/** A verified webhook, or why it was refused. */
export type WebhookCheck =
  | { ok: true; provider: 'github' | 'gitlab' }
  | { ok: false; reason: 'MissingSignature' | 'BadSignature' }

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Verifies a webhook request's body against `secret`. */
export function verifyWebhook(headers: IncomingHttpHeaders, body: Buffer, secret: string): WebhookCheck {
  const sig = header(headers, 'x-hub-signature-256')
  if (sig !== undefined) {
    const want = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex')
    return sameBytes(Buffer.from(sig), Buffer.from(want)) ? { ok: true, provider: 'github' } : { ok: false, reason: 'BadSignature' }
  }
  const token = header(headers, 'x-gitlab-token')
  if (token !== undefined) return sameBytes(Buffer.from(token), Buffer.from(secret)) ? { ok: true, provider: 'gitlab' } : { ok: false, reason: 'BadSignature' }
  return { ok: false, reason: 'MissingSignature' }
}

/** What a push payload says: the ref pushed and the commit it now names; `ping` for GitHub's hello. */
export type WebhookEvent = { kind: 'push'; ref?: string; commit?: string } | { kind: 'ping' } | { kind: 'other'; event: string }

/** Reads the event from the headers and JSON body (GitHub `push`/`ping`, GitLab `Push Hook`/`Tag Push Hook`). */
export function webhookEvent(headers: IncomingHttpHeaders, body: Buffer): WebhookEvent {
  const event = header(headers, 'x-github-event') ?? header(headers, 'x-gitlab-event') ?? 'push'
  if (event === 'ping') return { kind: 'ping' }
  if (event !== 'push' && event !== 'Push Hook' && event !== 'Tag Push Hook') return { kind: 'other', event }
  let payload: { ref?: unknown; after?: unknown; checkout_sha?: unknown } = {}
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}')
    if (parsed && typeof parsed === 'object') payload = parsed as typeof payload
  } catch {
    // A push without a readable body still triggers a sync of the watched ref.
  }
  const commit = typeof payload.checkout_sha === 'string' ? payload.checkout_sha : typeof payload.after === 'string' ? payload.after : undefined
  return { kind: 'push', ref: typeof payload.ref === 'string' ? payload.ref : undefined, commit: commit && /^0+$/.test(commit) ? undefined : commit }
}
