/**
 * Test etcd clusters: real etcd processes (Debian's etcd-server) on free 127.0.0.1 ports, each
 * member's data in a temporary directory. Members can be SIGKILLed and restarted on the same data
 * directory. Every process and directory is removed by `stop()`, and at exit whatever a failed test
 * left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where the tests expect etcd (CI installs Debian's etcd-server there). */
export const ETCD_BIN = process.env.CAPSTAN_ETCD_BIN ?? '/usr/bin/etcd'

/** True when etcd is installed; otherwise the etcd tests skip with a message. */
export function etcdAvailable(): boolean {
  return existsSync(ETCD_BIN)
}

/** Prints why the etcd tests are skipped (once per file). */
export function skipMessage(file: string): void {
  console.log(`SKIP ${file}: no etcd at ${ETCD_BIN} (apt-get install etcd-server, or set CAPSTAN_ETCD_BIN)`)
}

export interface Member {
  name: string
  clientPort: number
  peerPort: number
  dataDir: string
  process: ChildProcess | undefined
}

export interface EtcdCluster {
  /** `127.0.0.1:port` of every member, in member order. */
  endpoints: string[]
  members: Member[]
  /** Sends SIGKILL to member `i` and waits for it to exit. */
  kill(i: number): Promise<void>
  /** Starts member `i` again on its data directory and waits until it is healthy. */
  restart(i: number): Promise<void>
  /** The index of the member that is the raft leader (asked through the maintenance status API). */
  leaderIndex(): Promise<number>
  /** Stops every member and removes the data. */
  stop(): Promise<void>
}

export interface ClusterOptions {
  members?: 1 | 3
  /** Extra etcd flags. */
  args?: string[]
}

const live = new Set<{ stop: () => void }>()
process.on('exit', () => {
  for (const c of live) c.stop()
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of live) c.stop()
    process.exit(130)
  })
}

/** Starts an etcd cluster of 1 or 3 members and waits until every member is healthy. */
export async function startEtcdCluster(opts: ClusterOptions = {}): Promise<EtcdCluster> {
  const n = opts.members ?? 1
  const dir = mkdtempSync(join(tmpdir(), 'capstan-etcd-'))
  const ports = await freePorts(2 * n)
  const members: Member[] = Array.from({ length: n }, (_, i) => ({
    name: `m${i}`,
    clientPort: ports[2 * i],
    peerPort: ports[2 * i + 1],
    dataDir: join(dir, `m${i}`),
    process: undefined,
  }))
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',')
  const launch = (m: Member): void => {
    const args = [
      '--name', m.name,
      '--data-dir', m.dataDir,
      '--listen-client-urls', `http://127.0.0.1:${m.clientPort}`,
      '--advertise-client-urls', `http://127.0.0.1:${m.clientPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', `capstan-test-${members[0].clientPort}`,
      // Loopback timings: a dead leader is replaced in a fraction of a second.
      '--heartbeat-interval', '10',
      '--election-timeout', '100',
      // capstan writes a multi-object apply as one transaction.
      '--max-txn-ops', '10000',
      '--max-request-bytes', String(10 * 1024 * 1024),
      '--logger', 'zap',
      '--log-level', process.env.ETCD_LOG ?? 'error',
      ...(opts.args ?? []),
    ]
    const child = spawn(ETCD_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    child.stderr?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-4000)
    })
    child.on('exit', (code, signal) => {
      if (m.process === child) m.process = undefined
      if (code !== 0 && signal === null && !stopped) console.error(`etcd ${m.name} exited with ${code}: ${log}`)
    })
    m.process = child
  }
  let stopped = false
  const killAll = (): void => {
    stopped = true
    for (const m of members) m.process?.kill('SIGKILL')
  }
  const handle = {
    stop: () => {
      killAll()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  live.add(handle)
  for (const m of members) launch(m)
  const cluster: EtcdCluster = {
    endpoints: members.map((m) => `127.0.0.1:${m.clientPort}`),
    members,
    kill: async (i) => {
      const child = members[i].process
      if (!child) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    },
    restart: async (i) => {
      launch(members[i])
      await waitHealthy([members[i]])
    },
    leaderIndex: async () => {
      for (let tries = 0; tries < 100; tries++) {
        for (const [i, m] of members.entries()) {
          if (!m.process) continue
          const status = await postJson(m.clientPort, '/v3/maintenance/status', {}).catch(() => undefined)
          const s = status as { header?: { member_id?: string }; leader?: string } | undefined
          if (s?.leader && s.header?.member_id === s.leader) return i
        }
        await sleep(50)
      }
      throw new Error('no etcd leader found')
    },
    stop: async () => {
      live.delete(handle)
      const exits = members.map((m) => (m.process ? new Promise((r) => m.process!.once('exit', r)) : Promise.resolve()))
      killAll()
      await Promise.all(exits)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  try {
    await waitHealthy(members)
  } catch (err) {
    await cluster.stop()
    throw err
  }
  return cluster
}

/**
 * Waits until every member's maintenance status names a leader (a quorum exists), for up to 10 s.
 * (/health is no good while an election runs: it blocks for a second before saying false.)
 */
async function waitHealthy(members: Member[]): Promise<void> {
  const deadline = Date.now() + 10_000
  for (const m of members) {
    for (;;) {
      const ok = await postJson(m.clientPort, '/v3/maintenance/status', {}).then((b) => Number((b as { leader?: string }).leader ?? 0) > 0, () => false)
      if (ok) break
      if (Date.now() > deadline) throw new Error(`etcd member ${m.name} not healthy after 10 s`)
      await sleep(10)
    }
  }
}

async function postJson(port: number, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(1000) })
  return res.json()
}

/** `count` distinct free loopback ports (bound and released; etcd binds them right after). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer()
      s.once('error', reject)
      s.listen(0, '127.0.0.1', () => resolve(s))
    })),
  )
  const ports = servers.map((s) => (s.address() as { port: number }).port)
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  return ports
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
