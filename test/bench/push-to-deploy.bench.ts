/**
 * Push-to-deploy latency: `capstan serve --repo` (in process, controllers on the wall clock, pod
 * start delay 0) over a bare repository; a work tree pushes with the real git. Measured from
 * `git push` returning to the daemon's `sync start` log line, over N pushes (target p50 ≤ 500 ms).
 * Also prints the push-to-sync-end time (apply and rollout included).
 *
 *   node --import tsx test/bench/push-to-deploy.bench.ts [--pushes 10]
 */
import { execFileSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { demoWith, eventually, startDaemonHarness } from '../daemon/harness.js'

const i = process.argv.indexOf('--pushes')
const PUSHES = i > 0 ? Number(process.argv[i + 1]) : 10

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}

const machine = cpus()
console.log(`machine: ${machine.length} × ${machine[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}`)

const h = await startDaemonHarness({ first: { 'update-demo/deployment.yaml': demoWith('nautilus') }, healthTimeoutMs: 10_000 })
try {
  await eventually('the first sync', () => h.lines.find((l) => l.event === 'sync-end'), 10_000)
  const toStart: number[] = []
  const toEnd: number[] = []
  for (let n = 0; n < PUSHES; n++) {
    await h.daemon.lane.idle()
    const c = h.pusher.commit({ 'update-demo/deployment.yaml': demoWith(n % 2 ? 'nautilus' : 'kitten') }, `push ${n}`)
    execFileSync('git', ['push', '-q', 'capstan', 'HEAD:main'], { cwd: h.pusher.work })
    const returned = Date.now()
    const start = await eventually('sync start', () => h.lines.find((l) => l.event === 'sync-start' && l.commit === c), 10_000)
    const end = await eventually('sync end', () => h.lines.find((l) => l.event === 'sync-end' && l.commit === c), 15_000)
    toStart.push(start.at - returned)
    toEnd.push(end.at - returned)
  }
  console.log(`push → sync start over ${PUSHES} pushes: p50 ${pct(toStart, 50)} ms, p90 ${pct(toStart, 90)} ms, max ${Math.max(...toStart)} ms (target p50 ≤ 500 ms)`)
  console.log(`push → sync end (applied, rolled out, healthy): p50 ${pct(toEnd, 50)} ms, p90 ${pct(toEnd, 90)} ms`)
} finally {
  await h.close()
}
