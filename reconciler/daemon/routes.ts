/**
 * The daemon's own endpoints, beside the Kubernetes API: GET /capstan/status (the daemon and its
 * last sync), GET /capstan/gitops/status (what `capstan status` prints: synced commit, health,
 * live against git), GET /capstan/history (SyncRecords), GET /capstan/drift (kept drift reports),
 * POST /capstan/drift[?heal=true] (a drift check now, in the sync lane: 200 with the report),
 * POST /capstan/sync (202 with the queued commit; with ?wait=true 200 with the outcome once the sync
 * that covers the request ended; ?dryRun=true plans without applying) and POST /capstan/webhook
 * (GitHub or GitLab push, verified; 401 when not), and GET /capstan/diff[?head=REF] (a ref of the
 * followed repository planned against the live state, as `capstan diff --against live`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiServer } from '../api/api-server.js'
import type { DriftReport } from '../gitops/drift/index.js'
import type { Preview } from '../gitops/preview/index.js'
import type { StatusReport, SyncOutcomeView } from '../gitops/report/index.js'
import { bearerAuth } from '../server/auth.js'
import type { ServeLog } from '../server/start-serve.js'
import type { Queued, Trigger } from './sync-lane.js'
import { verifyWebhook, webhookEvent } from './webhook.js'

/** The last sync, as /capstan/status reports it. */
export interface LastSyncStatus {
  trigger: Trigger['source']
  commit?: string
  subject?: string
  result: string
  reason: string
  message: string
  mode: string
  record?: string
  startedAt: string
  durationMs: number
  health: Array<{ kind: string; namespace: string; name: string; status: string; message: string }>
}

/** GET /capstan/status. */
export interface DaemonStatus {
  repo: string
  ref: string
  path: string
  since: string
  running: 'sync' | 'drift' | undefined
  syncWaiting: boolean
  lastSync: LastSyncStatus | undefined
  /** Whether the last sync succeeded (undefined before the first). */
  healthy: boolean | undefined
}

/** What POST /capstan/sync answers: whether the sync was queued, the commit, and with ?wait its outcome. */
export interface RemoteSyncAnswer {
  status: Queued
  commit?: string
  outcome?: SyncOutcomeView
}

/** What POST /capstan/drift answers: the report kept, or why no scan could run; with ?heal the heal's outcome. */
export interface RemoteDriftAnswer {
  report?: DriftReport
  invalid?: { message: string; problems: Array<{ text: string }> }
  heal?: SyncOutcomeView
  /** Objects that left git and that a heal keeps, and why (the embedded command's note and exit 1). */
  kept?: { count: number; why: string }
}

/** What GET /capstan/diff answers: head planned against the live state, or why it could not be. */
export interface RemoteDiffAnswer {
  preview?: Preview
  invalid?: { message: string; problems: Array<{ text: string }> }
}

/** How a sync was asked for over HTTP. */
export interface SyncRequest {
  /** Answer only when the sync that covers this request ended, with its outcome. */
  wait?: boolean
  /** Plan without applying (implies wait). */
  dryRun?: boolean
}

/** What the routes need from the daemon. */
export interface RoutesOptions {
  api: () => ApiServer
  tokens?: string[]
  webhookSecret?: string
  /** The branch followed (webhooks for other refs are acknowledged and ignored). */
  branch?: string
  log: ServeLog
  status: () => DaemonStatus
  requestSync: (source: 'api' | 'webhook', commit?: string, how?: SyncRequest) => Promise<{ queued: Queued; commit?: string; outcome?: SyncOutcomeView }>
  driftReports: () => Promise<DriftReport[]>
  /** A drift check now (and a heal when asked). */
  checkDrift?: (heal: boolean) => Promise<RemoteDriftAnswer>
  /** What `capstan status` prints; `namespace` for objects without one. */
  gitopsStatus?: (namespace?: string) => Promise<StatusReport>
  /** A ref of the followed repository (default: the followed one) planned against live. */
  diffLive?: (head: string | undefined, namespace: string | undefined) => Promise<RemoteDiffAnswer>
}

const MAX_BODY = 5 * 1024 * 1024

/** Why a sync request was refused (503): the daemon is shutting down, or (with --ha) another replica leads. */
const NOT_SYNCING = 'this server is not syncing now: it is shutting down, or another replica leads (GET /capstan/v1/leader names it)'

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2) + '\n'
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error('body too large'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Whether a pushed ref is the one followed (any ref when following HEAD). */
function followed(branch: string | undefined, ref: string | undefined): boolean {
  if (!branch || branch === 'HEAD' || !ref) return true
  return ref === branch || ref === `refs/heads/${branch}` || ref === `refs/tags/${branch}`
}

/** The route handler for startServe's `routes`: true when the path is one of capstan's. */
export function capstanRoutes(o: RoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const authorized = o.tokens?.length ? bearerAuth(o.tokens) : undefined
  const handle = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? 'GET'
    if (path === '/capstan/webhook') {
      if (method !== 'POST') return send(res, 405, { error: 'POST only' })
      const body = await readBody(req)
      if (!o.webhookSecret) {
        o.log({ level: 'warn', msg: 'webhook refused', event: 'webhook-refused', reason: 'NoSecretConfigured', remote: req.socket.remoteAddress })
        return send(res, 403, { error: 'webhooks are disabled: start capstan serve with --webhook-secret-file' })
      }
      const check = verifyWebhook(req.headers, body, o.webhookSecret)
      if (!check.ok) {
        o.log({ level: 'warn', msg: 'webhook refused', event: 'webhook-refused', reason: check.reason, remote: req.socket.remoteAddress })
        return send(res, 401, { error: check.reason === 'MissingSignature' ? 'missing X-Hub-Signature-256 or X-Gitlab-Token' : 'signature does not match' })
      }
      const ev = webhookEvent(req.headers, body)
      if (ev.kind === 'ping') return send(res, 200, { status: 'pong' })
      if (ev.kind === 'other') return send(res, 200, { status: 'ignored', event: ev.event })
      if (!followed(o.branch, ev.ref)) return send(res, 200, { status: 'ignored', ref: ev.ref })
      o.log({ level: 'info', msg: 'webhook', event: 'webhook', provider: check.provider, ref: ev.ref, commit: ev.commit })
      const r = await o.requestSync('webhook', ev.commit)
      if (r.queued === 'closed') return send(res, 503, { status: r.queued, commit: r.commit, error: NOT_SYNCING })
      return send(res, 202, { status: r.queued, commit: r.commit })
    }
    if (authorized && !authorized(req)) return send(res, 401, { error: 'Unauthorized' })
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams
    const yes = (name: string) => ['true', '1', 'yes'].includes(query.get(name) ?? '')
    if (path === '/capstan/sync') {
      if (method !== 'POST') return send(res, 405, { error: 'POST only' })
      await readBody(req)
      const how: SyncRequest = { wait: yes('wait') || yes('dryRun'), dryRun: yes('dryRun') }
      const r = await o.requestSync('api', undefined, how)
      const answer: RemoteSyncAnswer = { status: r.queued, commit: r.commit, ...(r.outcome ? { outcome: r.outcome } : {}) }
      if (r.queued === 'closed') return send(res, 503, { ...answer, error: NOT_SYNCING })
      return send(res, r.outcome ? 200 : 202, answer)
    }
    if (path === '/capstan/drift' && method === 'POST') {
      await readBody(req)
      if (!o.checkDrift) return send(res, 501, { error: 'this server does not run drift checks' })
      return send(res, 200, await o.checkDrift(yes('heal')))
    }
    if (method !== 'GET') return send(res, 405, { error: 'GET only' })
    if (path === '/capstan/status') return send(res, 200, o.status())
    if (path === '/capstan/gitops/status') {
      if (!o.gitopsStatus) return send(res, 501, { error: 'this server does not report GitOps status' })
      return send(res, 200, await o.gitopsStatus(query.get('namespace') ?? undefined))
    }
    if (path === '/capstan/diff') {
      if (!o.diffLive) return send(res, 501, { error: 'this server does not plan diffs' })
      return send(res, 200, await o.diffLive(query.get('head') ?? undefined, query.get('namespace') ?? undefined))
    }
    if (path === '/capstan/history') {
      const items = (await o.api().list('syncrecords')).items
      return send(res, 200, { items })
    }
    if (path === '/capstan/drift') return send(res, 200, { items: await o.driftReports() })
    return send(res, 404, { error: `no capstan endpoint ${path}` })
  }
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '')
    if (!path.startsWith('/capstan/')) return false
    handle(req, res, path).catch((err: unknown) => {
      o.log({ level: 'error', msg: 'capstan endpoint failed', path, error: String((err as Error)?.stack ?? err) })
      if (!res.headersSent) send(res, 500, { error: String((err as Error)?.message ?? err) })
      else res.end()
    })
    return true
  }
}
