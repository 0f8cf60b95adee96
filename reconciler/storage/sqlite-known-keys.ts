/**
 * A superset of the keys of the file's `current` table, so a batch that creates many new keys
 * (Events, Pods: most writes of a rollout) learns that a key is absent without a sqlite read each.
 * Used only while a batch holds the write lock. Loaded once this handle's batches have read enough
 * absent keys from the file to pay for it; kept a superset by adding every key this handle puts
 * (a rolled-back batch's keys left in it only cost a read) and removing a key only once its
 * deletion is committed (so it does not grow past the file's keys in a long-running process);
 * dropped when another connection committed since it was complete (sqlite's `data_version` moved).
 */

/** Absent keys read from the file, across batches, before the set is loaded. */
export const LOAD_AFTER_MISSES = 1024

/** Where the set comes from: the file's current keys and its data version. */
export interface KnownKeysSource {
  /** Every key of the `current` table. */
  keys(): Iterable<string>
  /** sqlite's `PRAGMA data_version` of this connection. */
  dataVersion(): number
}

/** The keys this handle knows the file may hold (see the file's comment). */
export class KnownKeys {
  private keys: Set<string> | undefined
  /** The data version the set was complete at. */
  private version = 0
  private misses = 0

  constructor(
    private readonly source: KnownKeysSource,
    private readonly loadAfter = LOAD_AFTER_MISSES,
  ) {}

  /** True when the set is loaded (for tests). */
  get loaded(): boolean {
    return this.keys !== undefined
  }

  /** How many keys the set holds; undefined when not loaded (for tests and diagnostics). */
  get size(): number | undefined {
    return this.keys?.size
  }

  /** False when the file surely has no current row for `key`; true: read the file. */
  mayHave(key: string): boolean {
    return this.keys === undefined || this.keys.has(key)
  }

  /** Counts a read of the file that found no row. */
  missed(): void {
    this.misses++
  }

  /** Notes a key this handle wrote (put) to the file or to a batch's overlay. */
  add(key: string): void {
    this.keys?.add(key)
  }

  /** Notes a key whose deletion this handle committed (the set stays a superset, and no larger than the file). */
  forget(key: string): void {
    this.keys?.delete(key)
  }

  /** With the write lock just taken: drops the set when another connection committed since it was complete. */
  checkFresh(): void {
    if (this.keys === undefined) return
    let fresh = false
    try {
      fresh = this.source.dataVersion() === this.version
    } catch {
      // Unknown: dropped, as if stale (the set is only ever a shortcut).
    }
    if (fresh) return
    this.keys = undefined
    this.misses = 0
  }

  /**
   * With the write lock held: loads the set when enough absent keys were read. `pending` are keys
   * written but not yet in the file (a batch's overlay), which the set must hold too. Never throws.
   */
  maybeLoad(pending: Iterable<string>): void {
    if (this.keys !== undefined || this.misses < this.loadAfter) return
    this.misses = 0
    try {
      const keys = new Set<string>(this.source.keys())
      for (const key of pending) keys.add(key)
      this.version = this.source.dataVersion()
      this.keys = keys
    } catch {
      // Never fails the write that triggered it: reads go to the file as before, and load again later.
    }
  }
}
