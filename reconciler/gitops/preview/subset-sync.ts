/** The throwaway side of a subset preview: base's subset synced as a full sync of a fresh state syncs it. */
import { ApiServer } from '../../api/api-server.js'
import { isApiError } from '../../api/errors.js'
import { StagedStorage } from '../../storage/staged.js'
import type { DesiredObject } from '../desired.js'
import { hpaTarget } from '../plan/hpa.js'
import { makePlan } from '../plan/make-plan.js'
import { waitForHealth } from '../sync/wait-health.js'
import type { Throwaway } from './throwaway.js'

/** Whether Namespace `namespace` exists in the throwaway state. */
export async function namespaceExists(t: Throwaway, namespace: string): Promise<boolean> {
  try {
    await t.api.get('namespaces', undefined, namespace)
    return true
  } catch (err) {
    if (isApiError(err) && err.reason === 'NotFound') return false
    throw err
  }
}

/** Applies `desired` as a full sync of a fresh state would (one staged plan, committed), then waits for health; false on any problem. */
export async function syncSubset(t: Throwaway, desired: DesiredObject[]): Promise<boolean> {
  const { api } = t
  const now = () => t.clock.now()
  const owners = new Map<string, string>()
  for (const d of desired) {
    const target = d.id.kind === 'HorizontalPodAutoscaler' ? hpaTarget(d.object) : undefined
    if (target) owners.set(target, `${d.id.namespace}/${d.id.name}`)
  }
  const staged = new StagedStorage(api.storage)
  const stage = new ApiServer({ storage: staged, now })
  const plan = await makePlan({ stage, desired, liveManaged: [], replicasOwners: owners, prune: true, allowEmpty: true, complete: true })
  if (plan.problems.length) return false
  if (!(await staged.commit()).succeeded) return false
  const touched = plan.changes.filter((c) => c.action === 'create' || c.action === 'update').map((c) => c.id)
  if (touched.length) {
    await t.runCluster(async (c) => {
      await c.settle()
      await waitForHealth(api, c, touched)
    })
  }
  return true
}
