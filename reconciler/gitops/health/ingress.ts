/** An Ingress is healthy when its controller published an address (status.loadBalancer.ingress). */
import type { KObject } from '../../api/object.js'
import { isServedByCapstan } from '../../controllers/routing/ingress-class.js'
import type { Health } from './types.js'

/** The health of an Ingress: capstan's ingress controller serves class `capstan` (and Ingresses with no class); other classes have no controller here, so they count as healthy. */
export function ingressHealth(obj: KObject): Health {
  const lb = (obj.status as { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } | undefined)?.loadBalancer?.ingress ?? []
  const addr = lb.map((i) => i.ip || i.hostname).filter(Boolean)
  if (addr.length) return { status: 'Healthy', message: `address ${addr.join(', ')}` }
  return isServedByCapstan(obj)
    ? { status: 'Progressing', message: 'waiting for an address' }
    : { status: 'Healthy', message: 'served by an ingress class capstan does not run: counted as healthy' }
}
