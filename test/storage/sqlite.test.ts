/** Runs the storage conformance suite against the sqlite backend, in a temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import type { Storage } from '../../reconciler/storage/types.js'
import { runStorageSuite } from './conformance.js'

runStorageSuite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-storage-'))
  const path = join(dir, 'state.db')
  let storage: Storage = openSqliteStorage(path)
  return {
    storage,
    reopen: async () => {
      await storage.close()
      storage = openSqliteStorage(path)
      return storage
    },
    cleanup: async () => {
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
