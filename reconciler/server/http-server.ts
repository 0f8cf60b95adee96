/**
 * The Kubernetes REST API over HTTP, on Node's http module: discovery, OpenAPI v3, health, and every
 * kind's resource paths, over an in-process ApiServer. Real kubectl and client libraries talk to it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { ApiServer } from '../api/api-server.js'
import { bearerAuth, unauthorized } from './auth.js'
import { aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, servedGroups } from './discovery.js'
import { wantsAggregatedDiscovery } from './negotiate.js'
import { openApiDocuments, openApiIndex } from './openapi/documents.js'
import { parseResourceRequest } from './request-info.js'
import { failure, notFoundPath, sendJson, sendStatus, sendText, statusOf } from './respond.js'
import { serveResource } from './serve-resource.js'
import { versionInfo } from './version-info.js'

export interface ApiHttpServerOptions {
  api: ApiServer
  /** When given, every request but the health checks needs `Authorization: Bearer <one of these>`. */
  tokens?: string[]
  /** One line per request (method, path, code) and per internal error. */
  log?: (line: string) => void
  /** The clock for table ages. Default: the wall clock. */
  now?: () => Date
  /** Milliseconds between BOOKMARK events of a watch that allows them (default 60 s). */
  bookmarkIntervalMs?: number
  /** Length of a watch without timeoutSeconds (default 1800 s). */
  watchTimeoutSeconds?: number
}

const HEALTH = /^\/(livez|readyz|healthz)(\/.*)?$/

/** Creates the HTTP server (not yet listening). */
export function createApiHttpServer(o: ApiHttpServerOptions): Server {
  const authorized = o.tokens ? bearerAuth(o.tokens) : undefined
  const now = o.now ?? (() => new Date())
  const timing = { bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000, defaultTimeoutSeconds: o.watchTimeoutSeconds ?? 1800 }
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname
    if (HEALTH.test(path)) return sendText(res, 200, 'ok')
    if (authorized && !authorized(req)) return sendStatus(res, unauthorized())
    const method = req.method ?? 'GET'
    const rr = parseResourceRequest(method, path, url.searchParams)
    if (rr) return serveResource({ api: o.api, now, timing }, req, res, rr, url.searchParams)
    if (method !== 'GET' && method !== 'HEAD') {
      return sendStatus(res, path === '/' || isDiscoveryPath(path) ? failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource') : notFoundPath())
    }
    const head = method === 'HEAD'
    const aggregated = wantsAggregatedDiscovery(req.headers.accept)
    if (path === '/version' || path === '/version/') return sendJson(res, 200, versionInfo(), { head })
    if (path === '/api' || path === '/api/' || path === '/apis' || path === '/apis/') {
      const core = path.startsWith('/api/') || path === '/api'
      if (aggregated) {
        return sendJson(res, 200, aggregatedDiscovery(core, aggregated), {
          head,
          contentType: `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`,
          headers: { Vary: 'Accept' },
        })
      }
      return sendJson(res, 200, core ? apiVersions(req.headers.host ?? '127.0.0.1') : apiGroupList(), { head, headers: { Vary: 'Accept' } })
    }
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/?$/.exec(path)
    if (gv) {
      const doc = gv[1] ? apiResourceList('', gv[1]) : apiResourceList(gv[2], gv[3])
      if (doc) return sendJson(res, 200, doc, { head })
    }
    const group = /^\/apis\/([^/]+)\/?$/.exec(path)
    if (group) {
      const g = servedGroups().find((x) => x.name === group[1])
      if (g) {
        const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }))
        return sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', name: g.name, versions, preferredVersion: versions[0] }, { head })
      }
    }
    if (path === '/openapi/v3' || path === '/openapi/v3/') return sendJson(res, 200, openApiIndex(), { head })
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiDocuments().get(path.slice('/openapi/v3/'.length).replace(/\/$/, ''))
      if (doc) {
        const immutable = url.searchParams.get('hash') === doc.hash
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(doc.text),
          'Cache-Control': immutable ? 'public, immutable' : 'no-cache, no-store, must-revalidate',
          Etag: `"${doc.hash}"`,
        })
        res.end(head ? undefined : doc.text)
        return
      }
    }
    return sendStatus(res, notFoundPath())
  }
  return createServer((req, res) => {
    const started = Date.now()
    res.on('finish', () => o.log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`))
    handle(req, res).catch((err: unknown) => {
      const status = statusOf(err)
      if (status.code >= 500) o.log?.(`error: ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}`)
      if (res.headersSent) {
        res.end()
        return
      }
      sendStatus(res, status)
    })
  })
}

function isDiscoveryPath(path: string): boolean {
  if (/^\/(version|api|apis|api\/v1)\/?$/.test(path) || /^\/openapi(\/|$)/.test(path)) return true
  // A served group's or group version's document; anything deeper, or an unserved group, is no document (404).
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path)
  const group = m ? servedGroups().find((g) => g.name === m[1]) : undefined
  return !!group && (m![2] === undefined || group.versions.includes(m![2]))
}
