/** Runs the storage conformance suite against the in-memory backend. */
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { runStorageSuite } from './conformance.js'

runStorageSuite('memory', async () => {
  const storage = createMemoryStorage()
  return { storage, cleanup: () => storage.close() }
})
