/**
 * `capstan migrate --from SPEC --to SPEC [--force]`: copies a whole state from one storage backend
 * to another (`sqlite:PATH` to `etcd://host:port[,…]`, or back), then verifies it by reading both.
 *
 * Every key is copied: API objects under /registry/ and capstan's own keys under /capstan/ (virtual
 * clock, sync records and ledger, drift records, blob caches) — but those that name the source's
 * revisions (the controllers' resume point and checkpoints, the watch caches' index snapshots): a
 * migrated state starts its controllers and caches from every object once. The GitOps state is
 * copied with its last sync's revision as 0 (see carried). Revisions cannot be
 * kept: each store numbers its own writes, so every object gets a new resourceVersion in the
 * target, and a client must treat the migrated state as new (relist; a watch from an old
 * resourceVersion gets 410 Gone).
 */
import { existsSync } from 'node:fs'
import { flag, flagBool, parseArgs, UsageError } from '../args.js'
import type { Command } from '../run.js'
import type { CliIO } from '../io.js'
import { compareKeys } from '../../storage/key-order.js'
import { openStorageAsync } from '../../storage/open-storage.js'
import type { KeyValue, Storage, TxnOp } from '../../storage/types.js'
import { CACHE_HEAD_PREFIX, CACHE_INDEX_PREFIX } from '../../api/cache-index-store.js'
import { CHECKPOINT_PREFIX } from '../../controllers/runtime/checkpoint-store.js'
import { RESUME_KEY } from '../../controllers/runtime/resume-point.js'
import { STATE_KEY } from '../../gitops/state/keys.js'

/** Whether a key holds the source's revisions (see the file's comment): not copied. */
function revisionBound(key: string): boolean {
  return key === RESUME_KEY || key.startsWith(CHECKPOINT_PREFIX) || key.startsWith(CACHE_HEAD_PREFIX) || key.startsWith(CACHE_INDEX_PREFIX)
}

/**
 * The value a key gets in the target. The GitOps state names the store revision its last sync
 * ended at, and the next sync and drift check read "what changed since" from it: a source's
 * revision means nothing in the target (whose revisions start again from 1, and may already be
 * past it; and a deletion made in the source is in no history of the target), so it is copied as
 * 0 and the last commit as pending: the next sync plans every object in full, then records a
 * revision of the target.
 */
function carried(kv: KeyValue): string {
  if (kv.key !== STATE_KEY) return kv.value
  const state = JSON.parse(kv.value) as { last?: { revision?: number; commit?: string }; pending?: string }
  if (!state.last) return kv.value
  return JSON.stringify({ ...state, last: { ...state.last, revision: 0 }, pending: state.pending ?? state.last.commit })
}

const FLAGS = [{ name: 'from' }, { name: 'to' }, { name: 'force', boolean: true }]

/** Ops per write batch: under etcd's default --max-txn-ops (128). */
const BATCH_OPS = 100
/** Bytes of keys and values per write batch: under etcd's default request limit (1.5 MiB). */
const BATCH_BYTES = 1024 * 1024
/** Keys read per page. */
const PAGE = 500

export const migrateCommand: Command = {
  async run(argv, io) {
    const args = parseArgs(argv, FLAGS)
    const from = flag(args, 'from')
    const to = flag(args, 'to')
    if (!from || !to) throw new UsageError('usage: capstan migrate --from sqlite:PATH --to etcd://HOST:PORT[,HOST:PORT…] [--force]')
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`)
    const sqlitePath = from.startsWith('sqlite:') ? from.slice('sqlite:'.length) : /^[a-z][a-z0-9+.-]+:/i.test(from) ? undefined : from
    if (sqlitePath !== undefined && !existsSync(sqlitePath)) throw new UsageError(`--from ${from}: no such state file`)
    const source = await openStorageAsync(from)
    const target = await openStorageAsync(to)
    try {
      return await migrate({ source, target, from, to, force: flagBool(args, 'force'), io })
    } finally {
      await Promise.allSettled([source.close(), target.close()])
    }
  },
}

/** What `migrate` needs. */
export interface MigrateOptions {
  source: Storage
  target: Storage
  from: string
  to: string
  /** Replace a non-empty target's contents instead of refusing. */
  force: boolean
  io: CliIO
}

/** Copies and verifies; returns the exit code (2: the target is not empty, or verification failed). */
export async function migrate({ source, target, from, to, force, io }: MigrateOptions): Promise<number> {
  const existing = (await target.range('', { countOnly: true })).remaining
  if (existing > 0 && !force) {
    io.stderr(`error: the target ${to} already holds ${existing} keys; migrate into an empty store, or pass --force to replace its contents\n`)
    return 2
  }
  if (existing > 0) {
    const cleared = await clear(target)
    io.stdout(`--force: deleted the target's ${cleared} keys\n`)
  }

  // Copy: pages of the source at one revision, written in batches that fit etcd's request limits.
  const sourceRevision = await source.revision()
  io.stdout(`migrating ${from} (revision ${sourceRevision}) to ${to}\n`)
  let batches = 0
  const byPrefix = new Map<string, number>()
  let ops: TxnOp[] = []
  let bytes = 0
  const flush = async (): Promise<void> => {
    if (ops.length === 0) return
    const res = await target.txn({ compare: ops.map((op) => ({ key: op.key, modRevision: 0 })), success: ops })
    if (!res.succeeded) throw new Error(`the target changed during the copy: ${JSON.stringify(res.failed)}`)
    batches++
    ops = []
    bytes = 0
  }
  for await (const kv of scan(source, sourceRevision)) {
    if (revisionBound(kv.key)) continue
    const size = Buffer.byteLength(kv.key) + Buffer.byteLength(kv.value)
    if (ops.length >= BATCH_OPS || (ops.length > 0 && bytes + size > BATCH_BYTES)) await flush()
    ops.push({ type: 'put', key: kv.key, value: carried(kv) })
    bytes += size
    const top = topPrefix(kv.key)
    byPrefix.set(top, (byPrefix.get(top) ?? 0) + 1)
  }
  await flush()
  const copied = [...byPrefix.values()].reduce((a, b) => a + b, 0)
  const parts = [...byPrefix].map(([p, n]) => `${n} under ${p}`).join(', ')
  io.stdout(`copied ${copied} keys${parts ? ` (${parts})` : ''} in ${batches} batches\n`)

  // Verify: both sides, key by key.
  const problems = await compare(source, sourceRevision, target)
  if (problems.length > 0) {
    io.stderr(`error: verification failed: ${problems.length} differences\n`)
    for (const p of problems.slice(0, 20)) io.stderr(`  ${p}\n`)
    return 2
  }
  io.stdout(`verified: ${copied} keys, the same keys and values on both sides\n`)
  io.stdout('note: revisions are not kept: every object has a new resourceVersion in the target, so clients must relist (a watch from an old resourceVersion gets 410 Gone)\n')
  return 0
}

/** Every key value of `s` at `revision`, page by page, in key order. */
async function* scan(s: Storage, revision?: number): AsyncGenerator<KeyValue> {
  let token: string | undefined
  do {
    const page = await s.range('', token ? { limit: PAGE, continue: token } : { limit: PAGE, revision: revision || undefined })
    yield* page.items
    token = page.continue
  } while (token)
}

/** The key values that are copied, with the values they get in the target. */
async function* filtered(kvs: AsyncGenerator<KeyValue>): AsyncGenerator<KeyValue> {
  for await (const kv of kvs) if (!revisionBound(kv.key)) yield { ...kv, value: carried(kv) }
}

/** Deletes every key of `s` in batches; returns how many. */
async function clear(s: Storage): Promise<number> {
  let n = 0
  for (;;) {
    const page = await s.range('', { limit: BATCH_OPS })
    if (page.items.length === 0) return n
    await s.txn({ success: page.items.map((kv) => ({ type: 'delete' as const, key: kv.key })) })
    n += page.items.length
  }
}

/** The differences between `source` at `revision` and `target` now (as printable lines). */
async function compare(source: Storage, revision: number, target: Storage): Promise<string[]> {
  const problems: string[] = []
  const a = filtered(scan(source, revision))
  const b = scan(target)
  let x = await a.next()
  let y = await b.next()
  while (!x.done || !y.done) {
    if (y.done || (!x.done && compareKeys(x.value.key, y.value.key) < 0)) {
      problems.push(`missing in the target: ${(x.value as KeyValue).key}`)
      x = await a.next()
    } else if (x.done || compareKeys(y.value.key, x.value.key) < 0) {
      problems.push(`only in the target: ${y.value.key}`)
      y = await b.next()
    } else {
      if (x.value.value !== y.value.value) problems.push(`different value: ${x.value.key}`)
      x = await a.next()
      y = await b.next()
    }
  }
  return problems
}

/** `/registry/` or `/capstan/` (the first path segment) of a key. */
function topPrefix(key: string): string {
  const m = /^(\/[^/]*\/)/.exec(key)
  return m ? m[1] : key
}
