/**
 * A watch over HTTP: newline-delimited JSON watch events on a chunked response, from the requested
 * resourceVersion, with BOOKMARK events when the client allows them, ended after timeoutSeconds.
 * A version older than the cache's window is answered with one ERROR event carrying a 410 Status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiServer, WatchEvent } from '../api/api-server.js'
import { apiVersionOf } from '../api/kinds.js'
import type { KObject } from '../api/object.js'
import type { Representation } from './negotiate.js'
import { watchEventJson } from './json-cache.js'
import { presentObject } from './present.js'
import type { ResourceRequest } from './request-info.js'
import { intParam } from './write-options.js'

/** Timing of watches: how long one lasts unless the client says, and how often bookmarks go out. */
export interface WatchTiming {
  /** Default watch length (kube-apiserver picks 30–60 min at random). */
  defaultTimeoutSeconds: number
  bookmarkIntervalMs: number
}

/** Streams a watch until the timeout, the client leaving, or an ERROR event. */
export async function serveWatch(o: {
  api: ApiServer
  req: IncomingMessage
  res: ServerResponse
  rr: ResourceRequest
  query: URLSearchParams
  rep: Representation
  now: () => Date
  timing: WatchTiming
  /** Objects as the requested version shows them (autoscaling/v1 of a stored v2 HPA); default: as stored. */
  view?: (obj: KObject) => KObject
}): Promise<void> {
  const { api, req, res, rr, query, rep, timing } = o
  const k = rr.kind
  const allowBookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1'
  const timeoutSeconds = intParam(query, 'timeoutSeconds') ?? timing.defaultTimeoutSeconds
  const rv = query.get('resourceVersion') ?? undefined
  const selectors = { namespace: rr.namespace, labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined }
  // Bookmarks never claim more than the list the client could have read before this watch began.
  let lastRv = Number(rv) || 0
  // (the kind's cache revision, what a list would report, without building the list).
  if (allowBookmarks) lastRv = Math.max(lastRv, Number(await api.revision(k)) || 0)

  let ended = false
  let first = true
  const lines: string[] = []
  let started = false
  const write = (ev: WatchEvent): void => {
    if (ended) return
    let object: unknown = ev.object
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') {
      const n = Number((ev.object as KObject).metadata?.resourceVersion)
      if (n > lastRv) lastRv = n
      if (o.view && rep.as === 'object') object = o.view(ev.object as KObject)
      else if (rep.as !== 'object') {
        object = presentObject(k, ev.object as KObject, rep, { now: o.now(), includeObject: query.get('includeObject'), noHeaders: !first })
        first = false
      }
    }
    // The same object goes to every watcher: its text is made once (json-cache.ts).
    const line = (rep.as === 'object' ? watchEventJson(ev.type, object) : JSON.stringify({ type: ev.type, object })) + '\n'
    if (started) res.write(line)
    else lines.push(line)
    if (ev.type === 'ERROR') end()
  }
  const bookmark = (): void => {
    // At the version asked for (a typed autoscaling/v1 informer drops a bookmark of another type).
    write({ type: 'BOOKMARK', object: { kind: k.kind, apiVersion: apiVersionOf({ group: rr.group, version: rr.version }), metadata: { resourceVersion: String(lastRv) } } as KObject })
  }
  let timer: NodeJS.Timeout | undefined
  let ticker: NodeJS.Timeout | undefined
  let stop: (() => void) | undefined
  function end(): void {
    if (ended) return
    ended = true
    clearTimeout(timer)
    clearInterval(ticker)
    stop?.()
    if (started) res.end()
  }
  // Errors here (a bad selector or version) are answered as a Status by the caller.
  const w = await api.watch(k, { ...selectors, resourceVersion: rv, allowBookmarks }, write)
  stop = () => w.stop()
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' })
  res.flushHeaders()
  started = true
  for (const line of lines) res.write(line)
  if (ended) {
    w.stop()
    res.end()
    return
  }
  req.on('close', end)
  res.on('close', end)
  if (allowBookmarks) {
    bookmark()
    ticker = setInterval(bookmark, timing.bookmarkIntervalMs)
  }
  timer = setTimeout(end, Math.max(0, timeoutSeconds) * 1000)
}
