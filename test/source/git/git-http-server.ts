/** A git smart-HTTP server on 127.0.0.1 for tests: Node's http server running `git http-backend` as CGI. */
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A running server: its base URL (`http://127.0.0.1:PORT/`) and how to stop it. */
export interface GitHttpServer {
  url: string
  close: () => Promise<void>
}

/** Serve every repository under `root` (read-only export of all, as GIT_HTTP_EXPORT_ALL) until `close`. */
export async function startGitHttpServer(root: string): Promise<GitHttpServer> {
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1')
    const child = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(u.pathname),
        QUERY_STRING: u.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        SERVER_PROTOCOL: 'HTTP/1.1',
        GATEWAY_INTERFACE: 'CGI/1.1',
      },
    })
    req.pipe(child.stdin)
    // The CGI answer is headers (with `Status:`), a blank line, then the body.
    let head = Buffer.alloc(0)
    let started = false
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) return void res.write(chunk)
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') + 4 : head.indexOf('\n\n') >= 0 ? head.indexOf('\n\n') + 2 : -1
      if (end < 0) return
      let status = 200
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const m = /^([^:]+):\s*(.*)$/.exec(line)
        if (!m) continue
        if (m[1].toLowerCase() === 'status') status = Number(m[2].split(' ')[0])
        else res.setHeader(m[1], m[2])
      }
      res.statusCode = status
      started = true
      res.write(head.subarray(end))
    })
    child.stdout.on('end', () => res.end())
    child.on('error', () => {
      res.statusCode = 500
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
