/**
 * What restoring and saving each controller's checkpoint costs in a new process (issue 6: a
 * one-shot command restores the memories of the controllers a change touches, cold, before it can
 * reconcile anything). Over a state prepared by the GitOps bench (`gitops-sync.bench.ts --apps
 * 2500 --prepared DIR`: 2,500 apps in one namespace, every pod running), each controller is primed
 * from every object as an incremental start without a checkpoint primes it, its checkpoint saved
 * to a file as the checkpoint store splits it (paged maps as pages), and then, in a fresh node
 * process per controller and run, timed: parsing what the store hands back (paged maps' pages stay
 * text until read), restore, save, and encoding what save returned as the store does (a page
 * nothing read is written back as it was). Prints the median of the runs.
 * Measures the compiled code in dist/ (run `npm run build` first), or with `--src` the sources.
 *
 *   node --import tsx test/bench/checkpoint-restore.bench.ts --state DIR/cold.db [--runs 3] [--controllers default-scheduler,kubelet] [--src]
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { projectRoot } from '../../reconciler/paths.js'

// `--src`: the TypeScript sources through tsx (while dist/ is being rebuilt by someone else).
const dist = (p: string): string => join(projectRoot(), ...(process.argv.includes('--src') ? ['reconciler'] : ['dist', 'reconciler']), p)
const { ApiServer } = (await import(dist('api/api-server.js'))) as typeof import('../../reconciler/api/api-server.js')
const { createMemoryStorage } = (await import(dist('storage/memory.js'))) as typeof import('../../reconciler/storage/memory.js')
const { openSqliteStorage } = (await import(dist('storage/sqlite.js'))) as typeof import('../../reconciler/storage/sqlite.js')
const { CONTROLLERS } = (await import(dist('controllers/index.js'))) as typeof import('../../reconciler/controllers/index.js')
const { ControllerManager } = (await import(dist('controllers/runtime/manager.js'))) as typeof import('../../reconciler/controllers/runtime/manager.js')
const { VirtualClock } = (await import(dist('controllers/runtime/virtual-clock.js'))) as typeof import('../../reconciler/controllers/runtime/virtual-clock.js')
const { splitPaged, joinPaged } = (await import(dist('controllers/runtime/paged-map.js'))) as typeof import('../../reconciler/controllers/runtime/paged-map.js')
type Controller = import('../../reconciler/controllers/runtime/types.js').Controller

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

/** Every controller with a checkpoint, made over `api` (the same construction as addControllers). */
function controllersOver(api: InstanceType<typeof ApiServer>, clock: InstanceType<typeof VirtualClock>): Controller[] {
  const manager = new ControllerManager({ api, clock })
  return CONTROLLERS.map((spec) => spec.make(manager.contextFor(spec.component))).filter((c) => c.checkpoint && c.incremental === true)
}

const child = arg('child')
if (child) {
  // One cold restore: a fresh process, nothing of the controller's code run before.
  const [file, name] = [child, arg('name')!]
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  const c = controllersOver(api, clock).find((x) => x.name === name)!
  // As the store hands it back: the main document parsed, paged maps' pages as text.
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { main: string; pages: Record<string, string> }
  let t = performance.now()
  const data = joinPaged(JSON.parse(stored.main), (field) => stored.pages[field])
  const parse = performance.now() - t
  t = performance.now()
  c.resumed?.()
  const reqs = c.checkpoint!.restore(data)
  const restore = performance.now() - t
  if (!reqs) throw new Error(`${name}: restore refused its own checkpoint`)
  t = performance.now()
  const saved = c.checkpoint!.save()
  const save = performance.now() - t
  t = performance.now()
  // As the store writes it: pages nothing read written back as they were.
  const split = splitPaged(saved)
  const out = JSON.stringify(split.main)
  const stringify = performance.now() - t
  const bytes = out.length + [...split.pages.values()].reduce((n, l) => n + l.length, 0)
  console.log(JSON.stringify({ parse, restore, save, stringify, bytes }))
  process.exit(0)
}

const state = arg('state')
if (!state) throw new Error('--state FILE: a state prepared by gitops-sync.bench.ts --prepared DIR (DIR/cold.db)')
const runs = Number(arg('runs') ?? 3)
const only = arg('controllers')?.split(',')
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`)

const work = mkdtempSync(join(tmpdir(), 'capstan-cp-bench-'))
try {
  copyFileSync(state, join(work, 'state.db'))
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage: openSqliteStorage(join(work, 'state.db')), now: () => clock.now() })
  const lists = new Map<string, Awaited<ReturnType<typeof api.list>>['items']>()
  const every = async (resource: string) => lists.get(resource) ?? lists.set(resource, (await api.list(resource)).items).get(resource)!
  for (const c of controllersOver(api, clock)) {
    if (only && !only.includes(c.name)) continue
    // Primed as an incremental start without a checkpoint primes it.
    c.resumed?.()
    for (const o of await every(c.resource)) c.prime?.(o)
    for (const w of c.watches ?? []) for (const o of await every(w.resource)) w.map?.(o, undefined, 'ADDED')
    const file = join(work, `${c.name}.json`)
    const split = splitPaged(c.checkpoint!.save())
    writeFileSync(file, JSON.stringify({ main: JSON.stringify(split.main), pages: Object.fromEntries(split.pages) }))
    const results: Array<Record<string, number>> = []
    for (let i = 0; i < runs; i++) {
      const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', file, '--name', c.name, ...(process.argv.includes('--src') ? ['--src'] : [])]
      const out = execFileSync(process.execPath, args, { encoding: 'utf8' })
      results.push(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>)
    }
    const median = (k: string): string => {
      const v = results.map((r) => r[k]).sort((a, b) => a - b)
      return v[Math.floor(v.length / 2)].toFixed(1)
    }
    console.log(`${c.name.padEnd(26)} parse ${median('parse').padStart(5)} ms  restore ${median('restore').padStart(5)} ms  save ${median('save').padStart(5)} ms  stringify ${median('stringify').padStart(5)} ms  (${Math.round(results[0].bytes / 1024)} KiB; median of ${runs} cold runs)`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
