/**
 * Talking to a running `capstan serve`'s own endpoints (/capstan/…), for the GitOps commands run
 * with --server: the same bearer token as the Kubernetes API; errors become CLI errors.
 */
import { UsageError } from './args.js'
import { sameRepo } from '../gitops/same-repo.js'
import { bearerToken, type Context } from './context.js'

export { sameRepo }

/** The server answered with an error the command cannot go on from. */
export class DaemonError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'DaemonError'
  }
}

/**
 * Sends one request to `ctx.server` and returns the JSON answer. A 404 for the whole /capstan/
 * family means the server follows no repository (plain `capstan serve`).
 */
export async function daemonRequest<T>(ctx: Context, method: 'GET' | 'POST', path: string, query: Record<string, string | boolean | undefined> = {}): Promise<T> {
  if (!ctx.server) throw new UsageError('no --server given')
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== false) q.set(k, String(v))
  const url = `${ctx.server}${path}${q.size ? `?${q}` : ''}`
  const token = bearerToken(ctx.args, ctx.io)
  let res: Response
  try {
    res = await fetch(url, { method, headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } })
  } catch (err) {
    throw new DaemonError(`cannot reach ${ctx.server}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, 0)
  }
  const text = await res.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  if (res.ok) return body as T
  const said = (body as { error?: string; message?: string } | undefined)?.error ?? (body as { message?: string } | undefined)?.message ?? text.trim()
  if (res.status === 401) throw new DaemonError(`${ctx.server}: Unauthorized (give --token or --token-file)`, 401)
  const kubeStatus = (body as { kind?: string } | undefined)?.kind === 'Status'
  if (res.status === 404 && kubeStatus) throw new DaemonError(`${ctx.server} does not follow a repository (start it with capstan serve --repo PATH|URL)`, 404)
  throw new DaemonError(`${ctx.server}: ${said || `HTTP ${res.status}`}`, res.status)
}


/** The repository the server follows (GET /capstan/status). */
export async function followedRepo(ctx: Context): Promise<string> {
  return (await followedSource(ctx)).repo
}

/** The repository and the ref the server follows (GET /capstan/status). */
export async function followedSource(ctx: Context): Promise<{ repo: string; ref: string }> {
  const s = await daemonRequest<{ repo: string; ref?: string }>(ctx, 'GET', '/capstan/status')
  return { repo: s.repo, ref: s.ref ?? 'HEAD' }
}

/** A usage error unless the server follows `repo` (when the command named one). */
export async function requireFollows(ctx: Context, repo: string | undefined): Promise<void> {
  if (!repo) return
  const followed = await followedRepo(ctx)
  if (!sameRepo(followed, repo)) throw new UsageError(`${ctx.server} follows ${followed}, not ${repo}`)
}
