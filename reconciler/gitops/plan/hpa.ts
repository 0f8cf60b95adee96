/**
 * spec.replicas of a Deployment an HPA targets belongs to the HPA. capstan leaves it out of what it
 * applies, so it neither fights the autoscaler nor shows its changes as drift. Leaving a field out of
 * an apply removes it when the applier was its only owner (and the default, 1, would come back), so
 * when capstan owned it, ownership is first handed to HPA_HANDOVER_MANAGER with the live value — the
 * "transferring ownership" steps of the Kubernetes server-side apply documentation.
 */
import { isPlainObject, type KObject } from '../../api/object.js'
import { idKey, type ObjectId } from '../identity.js'
import { FIELD_MANAGER, isManaged } from '../labels.js'

/** The Deployment key an HPA's scaleTargetRef names (same namespace), if it names a Deployment. */
export function hpaTarget(hpa: { metadata?: { namespace?: string }; spec?: unknown }): string | undefined {
  const ref = isPlainObject(hpa.spec) && isPlainObject(hpa.spec.scaleTargetRef) ? hpa.spec.scaleTargetRef : undefined
  if (!ref || ref.kind !== 'Deployment' || typeof ref.name !== 'string') return undefined
  const group = typeof ref.apiVersion === 'string' && ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : ''
  if (group !== 'apps' && group !== 'extensions') return undefined
  return idKey({ group: 'apps', kind: 'Deployment', namespace: hpa.metadata?.namespace || 'default', name: ref.name })
}

/**
 * Deployment key → the HPA (`namespace/name`) that takes its replicas: the HPAs in git, and live HPAs
 * capstan does not manage (someone ran `autoscale`). Managed HPAs that left git do not count.
 */
export function replicasOwners(desiredHpas: ReadonlyArray<{ id: ObjectId; object: KObject }>, liveHpas: readonly KObject[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const h of liveHpas) {
    if (isManaged(h)) continue
    const t = hpaTarget(h)
    if (t) out.set(t, `${h.metadata.namespace}/${h.metadata.name}`)
  }
  for (const h of desiredHpas) {
    const t = hpaTarget(h.object)
    if (t) out.set(t, `${h.id.namespace}/${h.id.name}`)
  }
  return out
}

/** Whether `manager`'s Apply entry on the main resource owns spec.replicas of `live`. */
export function ownsReplicas(live: KObject, manager = FIELD_MANAGER): boolean {
  return (live.metadata.managedFields ?? []).some((e) => {
    if (e.manager !== manager || e.operation !== 'Apply' || e.subresource) return false
    const spec = isPlainObject(e.fieldsV1) ? e.fieldsV1['f:spec'] : undefined
    return isPlainObject(spec) && 'f:replicas' in spec
  })
}

/** The apply configuration that hands spec.replicas over at its live value. */
export function handoverConfig(live: KObject): KObject {
  return {
    apiVersion: live.apiVersion,
    kind: live.kind,
    metadata: { name: live.metadata.name, namespace: live.metadata.namespace },
    spec: { replicas: (live.spec as { replicas?: number } | undefined)?.replicas ?? 1 },
  }
}
