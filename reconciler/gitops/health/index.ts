/** The health of any managed object: one check per kind; kinds without one are healthy once they exist. */
import type { ApiClient } from '../../api/client.js'
import type { KObject } from '../../api/object.js'
import { deploymentHealth } from './deployment.js'
import { hpaHealth } from './hpa.js'
import { ingressHealth } from './ingress.js'
import type { Health } from './types.js'

export { isSettled, type Health, type HealthStatus } from './types.js'
export { deploymentHealth, podReasons } from './deployment.js'
export { hpaHealth } from './hpa.js'
export { ingressHealth } from './ingress.js'

/** The health of `obj` (undefined: Missing). ConfigMaps, Secrets, Services, Namespaces and the rest are healthy when they exist. */
export async function healthOf(api: ApiClient, obj: KObject | undefined): Promise<Health> {
  if (!obj) return { status: 'Missing', message: 'not found' }
  switch (obj.kind) {
    case 'Deployment':
      return deploymentHealth(api, obj)
    case 'HorizontalPodAutoscaler':
      return hpaHealth(obj)
    case 'Ingress':
      return ingressHealth(obj)
    default:
      return { status: 'Healthy', message: 'exists' }
  }
}
