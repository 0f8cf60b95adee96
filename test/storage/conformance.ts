/**
 * The storage conformance suite: every backend (memory, sqlite, later etcd) runs it unchanged.
 * Each test gets a fresh backend from `make` and calls its `cleanup` at the end.
 */
import { suite } from 'uvu'
import type { Storage } from '../../reconciler/storage/types.js'
import { addRangeTests } from './conformance-range.js'
import { addTxnTests } from './conformance-txn.js'
import { addHistoryTests, addWatchTests } from './conformance-watch.js'

/** A backend under test. */
export interface Backend {
  storage: Storage
  /** Closes `storage` and opens the same state again (only for persistent backends). */
  reopen?: () => Promise<Storage>
  /** Closes whichever handle is current and removes any files. */
  cleanup: () => Promise<void>
}

/** What differs between backends, all optional. */
export interface SuiteOptions {
  /**
   * In-process backends deliver watch events before `txn()` resolves (default true). A remote
   * backend (etcd) sets false: the suite then waits for events instead of expecting them at once.
   */
  synchronousWatch?: boolean
}

/** Wraps a test body: a fresh backend, cleaned up afterwards. */
export type Use = (body: (b: Backend) => Promise<void>) => () => Promise<void>

/** Runs the conformance suite against the backend `make` creates. */
export function runStorageSuite(name: string, make: () => Promise<Backend>, opts: SuiteOptions = {}): void {
  const test = suite(`storage conformance: ${name}`)
  const use: Use = (body) => async () => {
    const b = await make()
    try {
      await body(b)
    } finally {
      await b.cleanup()
    }
  }
  addTxnTests(test, use)
  addRangeTests(test, use)
  addWatchTests(test, use, { synchronousWatch: opts.synchronousWatch !== false })
  addHistoryTests(test, use)
  test.run()
}
