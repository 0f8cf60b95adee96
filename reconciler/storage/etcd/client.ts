/** The etcd3 client capstan uses: its endpoints, TLS, message limits, and a retry loop we control. */
import { readFileSync } from 'node:fs'
import { Etcd3, type IOptions } from 'etcd3'
import { StorageError } from '../types.js'
import { disposition } from './errors.js'

/** TLS client material: a CA bundle, and a client certificate and key (PEM text or file paths). */
export interface EtcdTls {
  ca: string | Buffer
  cert?: string | Buffer
  key?: string | Buffer
}

/** How to reach an etcd cluster. */
export interface EtcdStorageOptions {
  /** `host:port` of each member (a scheme, http:// or https://, may precede). */
  endpoints: string[]
  tls?: EtcdTls
  /** Give up retrying an unavailable cluster after this long (default 30 s). */
  retryForMs?: number
  /** Deadline of each unary call (default 10 s). */
  callTimeoutMs?: number
}

/** Creates the etcd3 client for `opts` (no retries of its own: `withRetry` decides). */
export function createEtcdClient(opts: EtcdStorageOptions): Etcd3 {
  if (opts.endpoints.length === 0) throw new StorageError('InvalidRequest', 'etcd storage needs at least one endpoint')
  const scheme = opts.tls ? 'https://' : 'http://'
  const hosts = opts.endpoints.map((e) => (/^https?:\/\//.test(e) ? e : scheme + e))
  const callTimeoutMs = opts.callTimeoutMs ?? 10_000
  const options: IOptions = {
    hosts,
    // Lists of a big state exceed gRPC's default 4 MiB receive limit; etcd itself bounds requests.
    grpcOptions: { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 },
    // Unary calls get a deadline (a member cut off from its quorum would otherwise hang a write); streams do not.
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
    faultHandling: {
      // etcd3 would retry any "recoverable" error, a transaction too, and a retried transaction whose
      // first attempt did commit then fails its compare: withRetry retries with that in mind instead.
      global: passThrough as unknown as NonNullable<NonNullable<IOptions['faultHandling']>['global']>,
    },
  }
  if (opts.tls) {
    options.credentials = {
      rootCertificate: pem(opts.tls.ca),
      ...(opts.tls.key !== undefined ? { privateKey: pem(opts.tls.key) } : {}),
      ...(opts.tls.cert !== undefined ? { certChain: pem(opts.tls.cert) } : {}),
    }
  }
  return new Etcd3(options)
}

/** A cockatiel policy that runs the call once (etcd3 only calls `execute`). */
const passThrough = {
  execute: <T>(fn: (ctx: { signal: AbortSignal; attempt: number }) => Promise<T> | T): Promise<T> =>
    Promise.resolve().then(() => fn({ signal: new AbortController().signal, attempt: 0 })),
}

/** PEM text given inline, or read from a file path. */
function pem(v: string | Buffer): Buffer {
  if (Buffer.isBuffer(v)) return v
  return v.includes('-----BEGIN') ? Buffer.from(v, 'utf8') : readFileSync(v)
}

/** What `withRetry` tells its call about earlier attempts. */
export interface Attempt {
  /** Number of attempts before this one. */
  n: number
  /** True when an earlier attempt may have been applied (see Disposition). */
  inDoubt: boolean
}

/**
 * Runs `call` until it succeeds, retrying transient failures (a member down, a leader election)
 * with backoff for up to `retryForMs`; a failover to another member happens because each call
 * picks a member afresh. Fatal errors and the last transient one are thrown as they are.
 */
export async function withRetry<T>(call: (attempt: Attempt) => Promise<T>, opts: { retryForMs: number; closed: () => boolean }): Promise<T> {
  const deadline = Date.now() + opts.retryForMs
  const attempt: Attempt = { n: 0, inDoubt: false }
  let delay = 5
  for (;;) {
    try {
      return await call(attempt)
    } catch (err) {
      const d = disposition(err)
      if (d === 'fatal' || opts.closed() || Date.now() + delay > deadline) throw err
      if (d === 'in-doubt') attempt.inDoubt = true
      attempt.n++
      await new Promise((r) => setTimeout(r, delay))
      delay = Math.min(delay * 2, 500)
    }
  }
}
