/** The daemon in process over a bare repository that a work tree pushes to with the real git. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HttpClient } from '../../reconciler/api/http-client.js'
import { readSimConfig, writeSimConfig } from '../../reconciler/controllers/sim/index.js'
import { initRemote } from '../../reconciler/daemon/init-remote.js'
import { startDaemon, type DaemonHandle, type DaemonOptions } from '../../reconciler/daemon/daemon.js'
import { projectRoot } from '../../reconciler/paths.js'
import { runGit } from '../source/git/make-repo.js'
import { tempDir } from '../helpers/tmp.js'

const demo = readFileSync(join(projectRoot(), 'manifests', 'update-demo', 'deployment.yaml'), 'utf8')

/** The update-demo Deployment with another image tag (and optionally replicas). */
export function demoWith(tag: string, replicas = 1): string {
  return demo.replace(/update-demo:nautilus/g, `update-demo:${tag}`).replace(/replicas: 1/, `replicas: ${replicas}`)
}

/** A work tree with the bare repository as its `origin`; `push` commits files and pushes, returning the commit. */
export interface Pusher {
  work: string
  bare: string
  commit(files: Record<string, string>, message: string): string
  push(): void
}

let tick = Date.UTC(2026, 0, 1) / 1000

/** A bare repository made by init-remote and a work tree pushing to it. */
export async function makePusher(dir: string): Promise<Pusher> {
  const bare = await initRemote(join(dir, 'remote.git'))
  const work = join(dir, 'work')
  mkdirSync(work)
  runGit(work, ['init', '-q', '-b', 'main'])
  runGit(work, ['remote', 'add', 'capstan', bare])
  return {
    work,
    bare,
    commit(files, message) {
      for (const [p, text] of Object.entries(files)) {
        mkdirSync(join(work, p, '..'), { recursive: true })
        writeFileSync(join(work, p), text)
      }
      runGit(work, ['add', '-A'], ++tick)
      runGit(work, ['commit', '-q', '-m', message], ++tick)
      return runGit(work, ['rev-parse', 'HEAD']).trim()
    },
    push() {
      runGit(work, ['push', '-q', 'capstan', 'HEAD:main'], tick)
    },
  }
}

/** A log line with its arrival time. */
export type Line = Record<string, unknown> & { at: number }

/** The daemon over a pusher's bare repository: port 0, temporary sqlite state, pods start at once. */
export interface DaemonHarness {
  daemon: DaemonHandle
  pusher: Pusher
  client: HttpClient
  lines: Line[]
  dir: string
  /** fetch a /capstan/ endpoint as JSON. */
  call(path: string, init?: RequestInit): Promise<{ code: number; body: Record<string, unknown> }>
  close(): Promise<void>
}

/** Starts a daemon; `first` is committed and pushed before it starts (so the start-up sync has something). */
export async function startDaemonHarness(o: Partial<DaemonOptions> & { first?: Record<string, string> } = {}): Promise<DaemonHarness> {
  const { dir, remove } = tempDir('capstan-daemon-')
  const pusher = await makePusher(dir)
  if (o.first) {
    pusher.commit(o.first, 'first')
    pusher.push()
  }
  const lines: Line[] = []
  const daemon = await startDaemon({
    state: join(dir, 'state.db'),
    listen: '127.0.0.1:0',
    repo: pusher.bare,
    healthTimeoutMs: 3000,
    shutdownWaitMs: 5000,
    ...o,
    log: (l) => lines.push({ ...l, at: Date.now() }),
  })
  const client = new HttpClient({ server: daemon.url })
  const cfg = await readSimConfig(client)
  await writeSimConfig(client, { ...cfg, settings: { ...cfg.settings, startDelaySeconds: 0 } })
  return {
    daemon,
    pusher,
    client,
    lines,
    dir,
    call: async (path, init) => {
      const res = await fetch(daemon.url + path, init)
      return { code: res.status, body: (await res.json()) as Record<string, unknown> }
    },
    close: async () => {
      await client.close()
      await daemon.close()
      remove()
    },
  }
}

export { eventually } from '../helpers/eventually.js'
