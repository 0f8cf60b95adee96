/** A Deployment is healthy when its rollout is complete (kubectl's rollout status), degraded past its progress deadline. */
import type { ApiClient } from '../../api/client.js'
import type { KObject } from '../../api/object.js'
import { fromLabelSelector } from '../../api/selectors/index.js'
import { rolloutStatus } from '../../controllers/deployment/rollout.js'
import type { DeploymentObject } from '../../controllers/deployment/types.js'
import type { Health } from './types.js'

/** Waiting reasons of containers that explain a stalled rollout. */
const STUCK = new Set(['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName'])

/** The health of a Deployment from one observation (pods are read only when it failed, to say why). */
export async function deploymentHealth(api: ApiClient, obj: KObject): Promise<Health> {
  const d = obj as DeploymentObject
  if (d.spec.paused) return { status: 'Suspended', message: `deployment "${d.metadata.name}" is paused` }
  const st = rolloutStatus(d)
  if (st.done) return { status: 'Healthy', message: st.message }
  if (!st.failed) return { status: 'Progressing', message: st.message }
  const why = await podReasons(api, d)
  return { status: 'Degraded', message: why ? `${st.message}: ${why}` : st.message }
}

/** `pods waiting: ImagePullBackOff (message)` from the Deployment's pods, each distinct reason once. */
export async function podReasons(api: ApiClient, d: DeploymentObject): Promise<string> {
  const selector = fromLabelSelector(d.spec.selector).toString()
  const pods = (await api.list('pods', { namespace: d.metadata.namespace, labelSelector: selector })).items
  const reasons = new Map<string, string>()
  for (const pod of pods) {
    const st = (pod.status ?? {}) as {
      conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>
      containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string } } }>
    }
    for (const cs of st.containerStatuses ?? []) {
      const w = cs.state?.waiting
      if (w?.reason && STUCK.has(w.reason) && !reasons.has(w.reason)) reasons.set(w.reason, w.message ?? '')
    }
    for (const c of st.conditions ?? []) {
      if (c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable' && !reasons.has('Unschedulable')) reasons.set('Unschedulable', c.message ?? '')
    }
  }
  if (!reasons.size) return ''
  return `pods waiting: ${[...reasons].map(([r, m]) => (m ? `${r} (${m})` : r)).join(', ')}`
}
