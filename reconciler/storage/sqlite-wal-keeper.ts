/**
 * Who checkpoints the WAL of a sqlite connection. By default sqlite does it inside the COMMIT that
 * takes the WAL past 1,000 frames, on the writer's thread: 6–10 % of a busy controller run. The
 * keeper turns that off and, at the same threshold, asks a worker thread for the checkpoint
 * (sqlite-checkpointer.ts), started the first time a handle gets there (a handle that writes
 * little never starts one). The writer still checkpoints itself when the WAL outgrows a bound,
 * and goes back to auto-checkpointing if the worker fails. Checkpointing never changes what a
 * reader sees, only where the pages live.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { endianness } from 'node:os'
import type Database from 'better-sqlite3'
import { Checkpointer } from './sqlite-checkpointer.js'

/** sqlite's default wal_autocheckpoint, in frames: when a checkpoint is asked for (and restored if the worker fails). */
export const AUTOCHECKPOINT_PAGES = 1000

/** Frames not yet checkpointed past which the writer checkpoints itself: 4 × the default (64 MiB at 16 KiB pages). */
export const LIMIT_FRAMES = 4 * AUTOCHECKPOINT_PAGES

/** The WAL is looked at every this many commits (and after every large one). */
const LOOK_EVERY = 8

/**
 * The wal-index (-shm file) layout, from https://www.sqlite.org/walformat.html: a 48-byte header
 * (twice), then the checkpoint info. Integers are in the machine's byte order.
 */
const SHM = { version: 0, mxFrame: 16, nBackfill: 96, bytes: 100, knownVersion: 3007000 }

/** Options of WalKeeper. */
export interface WalKeeperOptions {
  /** The writer's connection (WAL mode; an in-memory or non-WAL database makes the keeper inert). */
  db: Database.Database
  /** Busy timeout of the worker's connection. */
  busyTimeoutMs?: number
  /** `synchronous` of the worker's connection (the writer's). */
  synchronous?: 'NORMAL' | 'FULL'
  /** Ask for a checkpoint once this many frames wait (default AUTOCHECKPOINT_PAGES). */
  requestFrames?: number
  /** Checkpoint on the writer's thread once this many frames wait (default LIMIT_FRAMES). */
  limitFrames?: number
  /** false: no worker; sqlite's auto-checkpoint, as without the keeper. */
  worker?: boolean
}

/** Decides, after each commit, whether the WAL needs a checkpoint and where it runs. */
export class WalKeeper {
  private readonly db: Database.Database
  private readonly shmPath: string
  private enabled: boolean
  private readonly busyTimeoutMs: number
  private readonly synchronous: 'NORMAL' | 'FULL'
  private readonly requestFrames: number
  private readonly limitFrames: number
  private readonly shm = Buffer.alloc(SHM.bytes)
  private shmFd: number | undefined
  private cp: Checkpointer | undefined
  private commits = 0
  /** Checkpoints the writer ran itself because the WAL outgrew the bound. */
  selfCheckpoints = 0

  constructor({ db, busyTimeoutMs = 5000, synchronous = 'NORMAL', requestFrames = AUTOCHECKPOINT_PAGES, limitFrames = LIMIT_FRAMES, worker = true }: WalKeeperOptions) {
    this.db = db
    this.shmPath = `${db.name}-shm`
    this.busyTimeoutMs = busyTimeoutMs
    this.synchronous = synchronous
    this.requestFrames = requestFrames
    this.limitFrames = limitFrames
    this.enabled = worker && !db.memory && db.pragma('journal_mode', { simple: true }) === 'wal'
    if (this.enabled) db.pragma('wal_autocheckpoint = 0')
  }

  /** The worker, once started. */
  get checkpointer(): Checkpointer | undefined {
    return this.cp
  }

  /**
   * Frames in the WAL not yet copied to the database file, read from the wal-index (a 100-byte
   * read: no lock, no sqlite call); undefined when the wal-index cannot be read.
   */
  pendingFrames(): number | undefined {
    try {
      this.shmFd ??= openSync(this.shmPath, 'r')
      if (readSync(this.shmFd, this.shm, 0, SHM.bytes, 0) < SHM.bytes) return undefined
    } catch {
      return undefined
    }
    const le = endianness() === 'LE'
    const u32 = (at: number): number => (le ? this.shm.readUInt32LE(at) : this.shm.readUInt32BE(at))
    if (u32(SHM.version) !== SHM.knownVersion) return undefined
    // Read without the lock: a torn read at worst misjudges one look.
    return Math.max(0, u32(SHM.mxFrame) - u32(SHM.nBackfill))
  }

  /**
   * Call after each commit that wrote (outside any transaction). `large`: the commit wrote many
   * rows (a batch's), so the WAL is worth a look now rather than every LOOK_EVERY commits. Never
   * throws: the write is committed, and a checkpoint that cannot run now is only late (sqlite
   * ignores a failed auto-checkpoint the same way).
   */
  afterCommit(large = false): void {
    if (!this.enabled) return
    this.commits++
    if (!large && this.commits % LOOK_EVERY !== 0) return
    if (this.cp !== undefined && this.cp.state !== 'running') return
    try {
      this.look()
    } catch {
      this.giveUp()
    }
  }

  /** Checkpoints here, asks the worker, or does nothing, by the frames waiting. */
  private look(): void {
    const pending = this.pendingFrames()
    if (pending === undefined) {
      // Blind: sqlite checkpoints as it does by default.
      this.giveUp()
      return
    }
    if (pending >= this.limitFrames && !this.db.inTransaction) {
      // The worker fell behind (or never answered): frames pile up and the WAL never restarts.
      // Do it here, as sqlite's auto-checkpoint would; the next write then restarts the WAL.
      this.selfCheckpoints++
      this.db.pragma('wal_checkpoint(PASSIVE)')
      return
    }
    if (pending < this.requestFrames) return
    this.cp ??= this.start()
    this.cp.request()
  }

  /**
   * Stops the worker (it closes its connection first, so the writer's close is the last one and
   * checkpoints and removes the WAL as before). Undefined when there is no worker to wait for.
   */
  close(): Promise<void> | undefined {
    if (this.shmFd !== undefined) closeSync(this.shmFd)
    this.shmFd = undefined
    this.enabled = false
    return this.cp?.stop()
  }

  private start(): Checkpointer {
    return new Checkpointer({
      path: this.db.name,
      busyTimeoutMs: this.busyTimeoutMs,
      synchronous: this.synchronous,
      // Nothing is lost (every commit is in the WAL); the writer checkpoints as sqlite does by default.
      onFail: () => this.giveUp(),
    })
  }

  /** Hands checkpoints back to sqlite for good (the worker, if any, stays until close). */
  private giveUp(): void {
    this.enabled = false
    try {
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`)
    } catch {
      // Only a closed or broken connection refuses this; it checkpoints nothing more either way.
    }
  }
}
