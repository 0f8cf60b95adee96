/**
 * `rollout status` against a running `capstan serve`: time there is the wall clock and the server's
 * controllers move the rollout, so the command watches the Deployment (as kubectl does) and prints
 * each new status line until the rollout completes (0), fails past its progress deadline (1), or
 * `timeoutMs` of real time passes (1).
 */
import type { ApiClient, WatchEvent } from '../api/client.js'
import { rolloutStatus } from '../controllers/deployment/rollout.js'
import type { DeploymentObject } from '../controllers/deployment/types.js'
import type { KObject } from '../api/object.js'

/** What following a rollout needs. */
export interface FollowRemoteOptions {
  api: ApiClient
  namespace: string
  name: string
  /** false: print the status once and return (`--watch=false`). */
  watch: boolean
  /** --revision: the rollout must be of this revision (0: any). */
  revision?: number
  /** Give up after this long (Infinity: never). */
  timeoutMs: number
  out(s: string): void
  err(s: string): void
  /** Stops waiting (SIGINT); resolves 1 as an interrupted kubectl would. */
  signal?: AbortSignal
}

/** Follows one Deployment's rollout over the API; returns the exit code. */
export async function followRolloutRemote(o: FollowRemoteOptions): Promise<number> {
  let last = ''
  // Returns an exit code once the rollout is decided, else undefined (keep watching).
  const observe = (d: DeploymentObject): number | undefined => {
    const st = rolloutStatus(d, { revision: o.revision ?? 0 })
    if (st.failed) {
      o.err(`error: ${st.message}\n`)
      return 1
    }
    if (st.message !== last) o.out(st.message + '\n')
    last = st.message
    if (st.done || !o.watch) return 0
    return undefined
  }
  const first = (await o.api.get('deployments', o.namespace, o.name)) as DeploymentObject
  const now = observe(first)
  if (now !== undefined) return now
  return new Promise<number>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    let stop: (() => void) | undefined
    let settled = false
    const finish = (code: number): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      stop?.()
      o.signal?.removeEventListener('abort', onAbort)
      resolve(code)
    }
    const onAbort = (): void => finish(1)
    o.signal?.addEventListener('abort', onAbort, { once: true })
    if (Number.isFinite(o.timeoutMs)) {
      timer = setTimeout(() => {
        o.err('error: timed out waiting for the condition\n')
        finish(1)
      }, o.timeoutMs)
    }
    const onEvent = (ev: WatchEvent): void => {
      if (settled) return
      if (ev.type === 'DELETED') {
        o.err(`error: deployment "${o.name}" was deleted while its rollout was followed\n`)
        return finish(1)
      }
      if (ev.type === 'ERROR') {
        o.err(`error: the watch of deployment "${o.name}" failed: ${(ev.object as { message?: string }).message ?? ''}\n`)
        return finish(1)
      }
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return
      const code = observe(ev.object as KObject as DeploymentObject)
      if (code !== undefined) finish(code)
    }
    o.api
      .watch('deployments', { namespace: o.namespace, fieldSelector: `metadata.name=${o.name}`, resourceVersion: first.metadata.resourceVersion }, onEvent)
      .then((w) => {
        stop = () => w.stop()
        if (settled) w.stop()
      }, (err: unknown) => {
        if (!settled) {
          settled = true
          clearTimeout(timer)
          reject(err)
        }
      })
  })
}
