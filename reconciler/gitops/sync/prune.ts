/** The prune step: delete the managed objects that left git, in reverse apply order (dependents go with them: background propagation). */
import type { ApiServer } from '../../api/api-server.js'
import { isApiError } from '../../api/errors.js'
import type { PlanChange } from '../plan/types.js'
import { SyncFailure } from './errors.js'

/** Deletes every `prune` change's object; one already gone is fine. */
export async function pruneObjects(api: ApiServer, changes: readonly PlanChange[]): Promise<number> {
  let deleted = 0
  for (const c of changes) {
    if (c.action !== 'prune') continue
    try {
      await api.delete(c.id.kind, c.id.namespace || undefined, c.id.name, { propagationPolicy: 'Background' })
      deleted++
    } catch (err) {
      if (isApiError(err) && err.reason === 'NotFound') continue
      throw new SyncFailure('PruneFailed', `cannot delete ${c.id.kind} ${c.id.namespace ? `${c.id.namespace}/` : ''}${c.id.name}: ${(err as Error).message}`, [], { cause: err })
    }
  }
  return deleted
}
