/** The ApiClient conformance suite over the in-process API server: memory and sqlite states. */
import { join } from 'node:path'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { openLocalClient } from '../../reconciler/api/local-client.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { tempDir } from '../helpers/tmp.js'
import { runApiClientSuite } from './client-conformance.js'

runApiClientSuite('in-process, memory', async () => {
  const storage = createMemoryStorage()
  const client = new ApiServer({ storage })
  await client.bootstrap()
  return { client, cleanup: async () => { await client.close(); await storage.close() } }
})

runApiClientSuite('in-process, sqlite', async () => {
  const t = tempDir()
  const client = await openLocalClient(join(t.dir, 'state.db'))
  return { client, cleanup: async () => { await client.close(); t.remove() } }
})
