/**
 * A worker thread that checkpoints a sqlite WAL file through its own connection, so the copy of
 * WAL frames into the database file (and its fsyncs) runs on another core than the writer's.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** The outcome of one `PRAGMA wal_checkpoint(PASSIVE)`: frames in the WAL and frames copied back. */
export interface CheckpointResult {
  /** 1 when another connection held the checkpoint lock (nothing was done). */
  busy: number
  /** Frames in the WAL (-1 when the file is not in WAL mode). */
  log: number
  /** Frames of the WAL now in the database file. */
  checkpointed: number
}

/** 'running': takes requests; 'failed': the worker died (the owner checkpoints itself); 'stopped': closed. */
export type CheckpointerState = 'running' | 'failed' | 'stopped'

/** Options of Checkpointer. */
export interface CheckpointerOptions {
  /** The database file (already in WAL mode). */
  path: string
  /** The worker connection's busy timeout (opening reads the WAL index). */
  busyTimeoutMs?: number
  /** The worker connection's `synchronous` (a checkpoint fsyncs the WAL and the file either way). */
  synchronous?: 'NORMAL' | 'FULL'
  /** Called once, on the main thread, when the worker fails (throws, exits, cannot open the file). */
  onFail?: (err: Error) => void
}

/**
 * The worker's source: CommonJS, evaluated (`eval: true`) so it runs the same from dist/ and under
 * tsx. It opens the file without creating it, answers each 'checkpoint' with the result row (or
 * `{ error }`), and on 'close' closes its connection and lets the thread end.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.path, { fileMustExist: true, timeout: workerData.busyTimeoutMs })
db.pragma('synchronous = ' + workerData.synchronous)
db.pragma('wal_autocheckpoint = 0')
parentPort.on('message', (msg) => {
  if (msg === 'close') {
    db.close()
    parentPort.close()
    return
  }
  if (msg === 'throw') throw new Error('checkpointer: failure requested')
  try {
    const row = db.pragma('wal_checkpoint(PASSIVE)')[0]
    parentPort.postMessage({ busy: row.busy, log: row.log, checkpointed: row.checkpointed })
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) })
  }
})
`

let betterSqlitePath: string | undefined

/** The absolute path of better-sqlite3's entry, for the worker's `require`. */
function betterSqlite(): string {
  betterSqlitePath ??= createRequire(import.meta.url).resolve('better-sqlite3')
  return betterSqlitePath
}

/**
 * Owns one checkpoint worker. Requests are coalesced: at most one is with the worker, and commits
 * made meanwhile ask for one more when it answers. The worker never keeps the process alive
 * (unref'd): a process that exits without closing loses nothing, the WAL holds every commit.
 */
export class Checkpointer {
  private readonly worker: Worker
  private readonly onFail: ((err: Error) => void) | undefined
  private currentState: CheckpointerState = 'running'
  private inFlight = false
  private again = false
  private waiters: Array<() => void> = []
  private exited: Promise<void>
  /** Checkpoints the worker has answered. */
  completed = 0
  /** The last checkpoint's result. */
  last: CheckpointResult | undefined
  /** Why the worker failed (state 'failed', or 'stopped' after failing). */
  failure: Error | undefined

  constructor({ path, busyTimeoutMs = 5000, synchronous = 'NORMAL', onFail }: CheckpointerOptions) {
    this.onFail = onFail
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Not the parent's flags: `--input-type=module` would make the source ESM (no `require`),
      // and a loader such as tsx only slows the start of a thread that needs none.
      execArgv: [],
      workerData: { module: betterSqlite(), path, busyTimeoutMs, synchronous },
    })
    this.worker.unref()
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.on('message', (msg: CheckpointResult | { error: string }) => this.answered(msg))
    this.worker.on('error', (err) => this.fail(err))
    this.worker.on('exit', (code) => {
      if (this.currentState === 'running') this.fail(new Error(`checkpointer: worker exited (code ${code})`))
    })
  }

  /** Where the worker stands. */
  get state(): CheckpointerState {
    return this.currentState
  }

  /** Asks for a PASSIVE checkpoint (no-op once failed or stopped). */
  request(): void {
    if (this.currentState !== 'running') return
    if (this.inFlight) {
      this.again = true
      return
    }
    this.inFlight = true
    this.worker.postMessage('checkpoint')
  }

  /** Resolves when no request is pending (or the worker is gone). */
  idle(): Promise<void> {
    if (!this.inFlight || this.currentState !== 'running') return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /**
   * Stops the worker: a checkpoint under way finishes, then the worker closes its connection and
   * the thread ends. Resolves when it has (after `timeoutMs` it is terminated).
   */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.currentState === 'stopped') return this.exited
    const wasRunning = this.currentState === 'running'
    this.currentState = 'stopped'
    this.wake()
    if (wasRunning) this.worker.postMessage('close')
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), timeoutMs)
    })
    try {
      await Promise.race([this.exited, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Test hook: makes the worker throw (an uncaught error in the thread). */
  crashForTest(): void {
    this.worker.postMessage('throw')
  }

  /** Test hook: ends the thread at once, as a crash would. */
  terminateForTest(): Promise<number> {
    return this.worker.terminate()
  }

  private answered(msg: CheckpointResult | { error: string }): void {
    if ('error' in msg) {
      this.fail(new Error(`checkpointer: ${msg.error}`))
      void this.worker.terminate()
      return
    }
    this.inFlight = false
    this.completed++
    this.last = msg
    if (this.again && this.currentState === 'running') {
      this.again = false
      this.request()
      return
    }
    this.wake()
  }

  private fail(err: Error): void {
    if (this.currentState !== 'running') return
    this.currentState = 'failed'
    this.failure = err
    this.inFlight = false
    this.wake()
    this.onFail?.(err)
  }

  private wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }
}
