/**
 * Replicas of `capstan serve --ha` as real processes (the compiled bin) on one etcd, each logging
 * JSON lines to stderr, kept with their arrival time so tests can wait for and time transitions.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { projectRoot } from '../../reconciler/paths.js'
import { capstanBin } from '../helpers/capstan.js'

/** A log line with its arrival time. */
export type Line = Record<string, unknown> & { at: number }

/** One running replica. */
export interface Replica {
  name: string
  child: ChildProcess
  lines: Line[]
  /** Every byte of stderr (for failure messages). */
  stderr(): string
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>
  /** The first line (from `after` on) that `match` accepts, waiting up to `ms`. */
  waitFor(what: string, match: (l: Line) => boolean, ms?: number, after?: number): Promise<Line>
  /** The `listening` line's URL. */
  url(): Promise<string>
}

const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL')
})

/** Starts `capstan serve --storage etcd://… --ha ARGS` as replica `name`. */
export function startReplica(name: string, o: { endpoints: string[]; args: string[]; home: string }): Replica {
  const child = spawn(process.execPath, [capstanBin(), 'serve', '--storage', `etcd://${o.endpoints.join(',')}`, '--ha', '--listen', '127.0.0.1:0', ...o.args], {
    cwd: projectRoot(),
    env: { ...process.env, HOME: o.home, CAPSTAN_STATE: join(o.home, 'unused.db') },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  live.add(child)
  const lines: Line[] = []
  const waiters = new Set<() => void>()
  let err = ''
  let partial = ''
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString()
    partial += d.toString()
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    for (const p of parts) {
      if (!p.startsWith('{')) continue
      try {
        lines.push({ ...(JSON.parse(p) as Record<string, unknown>), at: Date.now() })
      } catch {
        // Not a log line.
      }
    }
    for (const w of [...waiters]) w()
  })
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      live.delete(child)
      for (const w of [...waiters]) w()
      resolve(code ?? signal ?? -1)
    }),
  )
  const waitFor: Replica['waitFor'] = (what, match, ms = 15_000, after = 0) =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = lines.find((l) => l.at >= after && match(l))
        if (hit) {
          done()
          resolve(hit)
          return true
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          done()
          reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${err.slice(-3000)}`))
          return true
        }
        return false
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`${name}: timed out after ${ms} ms waiting for ${what}:\n${err.slice(-3000)}`))
      }, ms)
      const w = (): void => void check()
      const done = (): void => {
        clearTimeout(timer)
        waiters.delete(w)
      }
      waiters.add(w)
      check()
    })
  return {
    name,
    child,
    lines,
    stderr: () => err,
    exited,
    waitFor,
    url: async () => String((await waitFor('listening', (l) => l.msg === 'listening')).url),
  }
}

/** GET or POST a /capstan/ path of a replica as JSON. */
export async function call(url: string, path: string, init?: RequestInit): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(url + path, init)
  return { code: res.status, body: (await res.json()) as Record<string, unknown> }
}
