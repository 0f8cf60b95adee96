/**
 * A watch over HTTP: newline-delimited JSON events read from a streaming response, delivered in
 * order. The server ends a watch after its timeout; the stream then resumes from the last
 * resourceVersion seen (kept fresh by bookmarks, which the caller sees only if it asked for them),
 * so to its caller a watch lasts until `stop()` or an ERROR event, as an in-process watch does.
 */
import type { ApiWatch, WatchEvent } from '../api-server.js'
import { ApiError, type Status } from '../errors.js'
import { isPlainObject } from '../object.js'
import { errorFromStatus } from './status-error.js'

/** What a watch stream needs: how to open (and re-open) the request, and where events go. */
export interface WatchStreamOptions {
  /** Sends the watch request from `resourceVersion` (undefined: from now, with the current objects first). */
  open(resourceVersion: string | undefined, signal: AbortSignal): Promise<Response>
  resourceVersion?: string
  /** Pass BOOKMARK events on (the request always asks for them, to resume from a fresh version). */
  forwardBookmarks: boolean
  onEvent(ev: WatchEvent): void
}

/** Reads the body of a failed response into the ApiError it carries. */
export async function failedResponse(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return errorFromStatus(res.status, body, text)
}

/** Opens the watch: resolves once the server has accepted it (events written after that are seen). */
export async function startWatchStream(o: WatchStreamOptions): Promise<ApiWatch> {
  const abort = new AbortController()
  let lastRv = o.resourceVersion && o.resourceVersion !== '0' ? o.resourceVersion : undefined
  let done = false
  const finish = (): void => {
    if (done) return
    done = true
    abort.abort()
  }
  const fail = (err: unknown): void => {
    if (done) return
    const status: Status = err instanceof ApiError ? err.status : new ApiError('InternalError', `the watch stream failed: ${(err as Error)?.message ?? String(err)}`).status
    o.onEvent({ type: 'ERROR', object: status })
    finish()
  }
  const deliver = (line: string): void => {
    if (done || line.trim() === '') return
    const ev = JSON.parse(line) as WatchEvent
    if (ev.type !== 'ERROR' && isPlainObject(ev.object) && isPlainObject(ev.object.metadata)) {
      const rv = ev.object.metadata.resourceVersion
      if (typeof rv === 'string' && rv) lastRv = rv
    }
    if (ev.type === 'BOOKMARK' && !o.forwardBookmarks) return
    o.onEvent(ev)
    if (ev.type === 'ERROR') finish()
  }
  const pump = async (res: Response): Promise<void> => {
    for (;;) {
      if (!res.body) throw new ApiError('InternalError', 'the watch response has no body')
      const reader = res.body.getReader()
      const decoder = new TextDecoder()
      let buf = ''
      for (;;) {
        const { value, done: eof } = await reader.read()
        if (eof) break
        buf += decoder.decode(value, { stream: true })
        let nl: number
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl)
          buf = buf.slice(nl + 1)
          deliver(line)
          if (done) return
        }
      }
      deliver(buf + decoder.decode())
      if (done) return
      // The server ended the watch (its timeout): resume where this one left off.
      res = await o.open(lastRv ?? o.resourceVersion, abort.signal)
      if (!res.ok) throw await failedResponse(res)
    }
  }
  const first = await o.open(o.resourceVersion, abort.signal)
  if (!first.ok) throw await failedResponse(first)
  pump(first).catch((err: unknown) => {
    if (!done && !abort.signal.aborted) fail(err)
  })
  return { stop: finish }
}
