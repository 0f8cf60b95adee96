/** Standalone nodes (no NodePool recreates them) and a Deployment on them, with every controller running. */
import type { WatchEvent } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { everyController } from '../runtime/primed-old-way.js'

export const fm = { fieldManager: 't' }
export const node = (name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': 'z1' } },
  spec: {},
  status: {
    allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
    capacity: { cpu: '4', memory: '16Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
    addresses: [{ type: 'InternalIP', address: `10.0.0.${name.length}` }],
  },
})
export const deployment = (name: string, replicas: number): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
})
export const pod = (name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...meta },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...spec },
})
export const nodeOf = (p: KObject): string => (p.spec as { nodeName?: string }).nodeName ?? ''
export const phaseOf = (p: KObject): string => (p.status as { phase?: string } | undefined)?.phase ?? ''

/** The nodes named (the default node deleted) and a Deployment `web` of `replicas` running on them; every pod change from then on recorded. */
export async function standaloneNodes(nodes: string[], replicas: number) {
  const w = await everyController('pod-garbage-collector')
  const { api, manager } = w
  await manager.advance(1_000)
  for (const n of (await api.list('nodes')).items) await api.delete('nodes', undefined, n.metadata.name!)
  for (const n of nodes) await api.create(node(n), fm)
  await api.create(deployment('web', replicas), fm)
  await manager.advance(60_000)
  const changes: Array<{ type: WatchEvent['type']; object: KObject }> = []
  await api.watch('pods', { resourceVersion: await api.storage.revision().then(String) }, (ev) => changes.push({ type: ev.type, object: ev.object as KObject }))
  return { ...w, changes }
}
