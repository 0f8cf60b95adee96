/**
 * A staging area over a store: writes land in memory and are read back as if stored; `commit()`
 * writes them all to the store in one transaction (guarded by the revisions read), or not at all.
 * This is how a command that applies many objects changes nothing unless every object is valid.
 */
import {
  StorageError,
  type Compare,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Storage,
  type TxnOp,
  type TxnRequest,
  type TxnResult,
  type Watch,
  type WatchHandlers,
  type WatchOptions,
} from './types.js'

interface Staged {
  /** The value now (undefined: deleted). */
  kv: KeyValue | undefined
}

export class StagedStorage implements Storage {
  readonly kind = 'staged'
  private readonly staged = new Map<string, Staged>()
  /** The base store's mod revision of each key when first read or written (0: absent). */
  private readonly baseRevisions = new Map<string, number>()
  /**
   * The base store's value of each key read once (undefined: absent). Staging works on the
   * snapshot it first read: `commit()` refuses if the base changed since, so a second read of the
   * base could only show what the commit would refuse anyway.
   */
  private readonly baseValues = new Map<string, KeyValue | undefined>()
  private rev = 0
  /**
   * The base store's revision, read once (reading it on every staged write was a tenth of a cold
   * sync's plan), raised to any later revision a read of the base shows, so staged revisions still
   * come after everything staging has seen.
   */
  private baseRev: number | undefined

  constructor(private readonly base: Storage) {}

  /** True when something was written to the staging area. */
  get dirty(): boolean {
    return this.staged.size > 0
  }

  async revision(): Promise<number> {
    this.baseRev ??= await this.base.revision()
    return Math.max(this.rev, this.baseRev)
  }

  private sawBase(modRevision: number): void {
    if (this.baseRev !== undefined && modRevision > this.baseRev) this.baseRev = modRevision
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const s = this.staged.get(key)
    if (s) return s.kv
    if (this.baseValues.has(key)) return this.baseValues.get(key)
    const kv = await this.base.get(key)
    this.baseValues.set(key, kv)
    if (kv) this.sawBase(kv.modRevision)
    if (!this.baseRevisions.has(key)) this.baseRevisions.set(key, kv?.modRevision ?? 0)
    return kv
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    if (opts.limit || opts.continue || opts.revision) {
      throw new StorageError('Io', 'a staged store lists whole prefixes only')
    }
    const base = await this.base.range(prefix)
    this.sawBase(base.revision)
    const byKey = new Map(base.items.map((kv) => [kv.key, kv]))
    for (const kv of base.items) if (!this.baseRevisions.has(kv.key)) this.baseRevisions.set(kv.key, kv.modRevision)
    for (const [key, s] of this.staged) {
      if (!key.startsWith(prefix)) continue
      if (s.kv) byKey.set(key, s.kv)
      else byKey.delete(key)
    }
    const items = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    return { items: opts.countOnly ? [] : items, revision: await this.revision(), remaining: 0 }
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    const failed: Compare[] = []
    for (const c of req.compare ?? []) {
      const cur = (await this.get(c.key))?.modRevision ?? 0
      if (cur !== c.modRevision) failed.push({ key: c.key, modRevision: cur })
    }
    const revision = await this.revision()
    if (failed.length) return { succeeded: false, revision, failed }
    if (!req.success.length) return { succeeded: true, revision, results: [] }
    const rev = (this.rev = revision + 1)
    const results: (KeyValue | undefined)[] = []
    for (const op of req.success) {
      const prev = await this.get(op.key)
      if (op.type === 'delete') {
        this.staged.set(op.key, { kv: undefined })
        results.push(undefined)
      } else {
        const kv: KeyValue = {
          key: op.key,
          value: op.value,
          createRevision: prev?.createRevision ?? rev,
          modRevision: rev,
          version: (prev?.version ?? 0) + 1,
        }
        this.staged.set(op.key, { kv })
        results.push(kv)
      }
    }
    return { succeeded: true, revision: rev, results }
  }

  watch(_prefix: string, _handlers: WatchHandlers, _opts?: WatchOptions): Watch {
    throw new StorageError('Io', 'a staged store cannot be watched')
  }

  async compact(): Promise<void> {}

  async compactedRevision(): Promise<number> {
    return this.base.compactedRevision()
  }

  /**
   * Writes every staged change to the base store in one transaction, provided no key changed there
   * since it was read, with `also` (writes of the caller's own that must happen with them, and only
   * if they do). Returns the transaction's result (succeeded false: nothing was written). Nothing
   * staged: nothing is written, `also` included.
   */
  async commit(also: readonly TxnOp[] = []): Promise<TxnResult> {
    const compare: Compare[] = []
    const success: TxnRequest['success'] = []
    for (const [key, s] of this.staged) {
      compare.push({ key, modRevision: this.baseRevisions.get(key) ?? 0 })
      if (s.kv) success.push({ type: 'put', key, value: s.kv.value })
      else if ((this.baseRevisions.get(key) ?? 0) > 0) success.push({ type: 'delete', key })
    }
    if (!success.length) return { succeeded: true, revision: await this.base.revision(), results: [] }
    return this.base.txn({ compare, success: [...success, ...also] })
  }

  /** Drops everything staged. */
  discard(): void {
    this.staged.clear()
    this.baseRevisions.clear()
    this.baseValues.clear()
    this.baseRev = undefined
  }

  async close(): Promise<void> {}
}
