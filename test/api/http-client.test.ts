/** The ApiClient conformance suite over HTTP: HttpClient against capstan's REST API on loopback. */
import type { AddressInfo } from 'node:net'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { HttpClient } from '../../reconciler/api/http-client.js'
import { createApiHttpServer } from '../../reconciler/server/index.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { runApiClientSuite } from './client-conformance.js'

runApiClientSuite('HTTP (HttpClient → capstan REST API)', async () => {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage })
  await api.bootstrap()
  const server = createApiHttpServer({ api, tokens: ['s3cret'] })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const client = new HttpClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 's3cret' })
  return {
    client,
    cleanup: async () => {
      await client.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await api.close()
      await storage.close()
    },
  }
})
