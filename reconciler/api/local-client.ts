/** The in-process ApiClient: an ApiServer over an embedded state (sqlite file or memory). */
import { openStorageAsync } from '../storage/open-storage.js'
import type { Storage } from '../storage/types.js'
import { ApiServer } from './api-server.js'
import type { ApiClient } from './client.js'

/** An ApiServer that owns its storage: closing the client closes the state. */
export class LocalClient extends ApiServer implements ApiClient {
  override async close(): Promise<void> {
    await super.close()
    await this.storage.close()
  }
}

/** Opens an embedded state (`memory:`, `sqlite:PATH` or a file path) as an ApiClient. */
export async function openLocalClient(spec: string, opts: { now?: () => Date } = {}): Promise<LocalClient> {
  const storage: Storage = await openStorageAsync(spec)
  const client = new LocalClient({ storage, now: opts.now })
  await client.bootstrap()
  return client
}
