import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildTable, columnsFor, type KubeObject } from '../../../reconciler/api/table/index.js'
import { NOW, ago } from '../../cli/print/fixtures.js'

/** The cells of one object as the server computes them, keyed by column header. */
function row(obj: KubeObject): Record<string, unknown> {
  const t = buildTable([obj], { now: NOW })
  return Object.fromEntries(t.columnDefinitions.map((c, i) => [c.name.toUpperCase(), t.rows[0].cells[i]]))
}
const headers = (kind: string, apiVersion?: string): string[] =>
  columnsFor(kind, apiVersion).map((c) => (c.priority ? `(${c.name.toUpperCase()})` : c.name.toUpperCase()))

const cols = suite('columns: headers per kind (printers.go), wide ones in parentheses')
const headerCases: Array<{ name: string; kind: string; apiVersion?: string; want: string }> = [
  { name: 'Namespace', kind: 'Namespace', want: 'NAME STATUS AGE' },
  { name: 'ConfigMap', kind: 'ConfigMap', want: 'NAME DATA AGE' },
  { name: 'Secret', kind: 'Secret', want: 'NAME TYPE DATA AGE' },
  { name: 'Service', kind: 'Service', want: 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (SELECTOR)' },
  { name: 'Endpoints', kind: 'Endpoints', want: 'NAME ENDPOINTS AGE' },
  { name: 'Deployment', kind: 'Deployment', apiVersion: 'apps/v1', want: 'NAME READY UP-TO-DATE AVAILABLE AGE (CONTAINERS) (IMAGES) (SELECTOR)' },
  { name: 'ReplicaSet', kind: 'ReplicaSet', apiVersion: 'apps/v1', want: 'NAME DESIRED CURRENT READY AGE (CONTAINERS) (IMAGES) (SELECTOR)' },
  { name: 'Pod', kind: 'Pod', want: 'NAME READY STATUS RESTARTS AGE (IP) (NODE) (NOMINATED NODE) (READINESS GATES)' },
  { name: 'Node', kind: 'Node', want: 'NAME STATUS ROLES AGE VERSION (INTERNAL-IP) (EXTERNAL-IP) (OS-IMAGE) (KERNEL-VERSION) (CONTAINER-RUNTIME)' },
  { name: 'Event', kind: 'Event', want: 'LAST SEEN TYPE REASON OBJECT (SUBOBJECT) (SOURCE) MESSAGE (FIRST SEEN) (COUNT) (NAME)' },
  { name: 'HPA', kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', want: 'NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE' },
  { name: 'Ingress', kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', want: 'NAME CLASS HOSTS ADDRESS PORTS AGE' },
  { name: 'NodePool', kind: 'NodePool', apiVersion: 'capstan.dev/v1', want: 'NAME REGION ZONES NODES READY MACHINE-TYPE AGE' },
  { name: 'SyncRecord', kind: 'SyncRecord', apiVersion: 'capstan.dev/v1', want: 'NAME COMMIT SUBJECT RESULT CHANGES AGE' },
  { name: 'unknown kind', kind: 'Widget', apiVersion: 'example.com/v1', want: 'NAME AGE' },
]
for (const c of headerCases) cols(c.name, () => assert.is(headers(c.kind, c.apiVersion).join(' '), c.want))
cols.run()

const pod = (status: Record<string, unknown>, extra: Partial<KubeObject> = {}, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', creationTimestamp: ago(10), ...(extra.metadata ?? {}) },
  spec: { containers: [{ name: 'c', image: 'i' }], ...spec }, status,
})
const waiting = (reason: string): Record<string, unknown> => ({ phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason } } }] })

const pods = suite('columns: pod READY / STATUS / RESTARTS')
const podCases: Array<{ name: string; obj: KubeObject; ready: string; status: string; restarts: string }> = [
  { name: 'pending, unscheduled', obj: pod({ phase: 'Pending' }), ready: '0/1', status: 'Pending', restarts: '0' },
  { name: 'ContainerCreating', obj: pod(waiting('ContainerCreating')), ready: '0/1', status: 'ContainerCreating', restarts: '0' },
  { name: 'ErrImagePull', obj: pod(waiting('ErrImagePull')), ready: '0/1', status: 'ErrImagePull', restarts: '0' },
  { name: 'ImagePullBackOff', obj: pod(waiting('ImagePullBackOff')), ready: '0/1', status: 'ImagePullBackOff', restarts: '0' },
  { name: 'CreateContainerConfigError', obj: pod(waiting('CreateContainerConfigError')), ready: '0/1', status: 'CreateContainerConfigError', restarts: '0' },
  { name: 'running and ready', obj: pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] }), ready: '1/1', status: 'Running', restarts: '0' },
  { name: 'running, not ready', obj: pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { running: {} } }] }), ready: '0/1', status: 'Running', restarts: '0' },
  { name: 'restarts with last restart age', obj: pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 4, state: { running: {} }, lastState: { terminated: { exitCode: 137, finishedAt: ago(125) } } }] }), ready: '1/1', status: 'Running', restarts: '4 (2m5s ago)' },
  { name: 'CrashLoopBackOff', obj: pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(40) } } }] }), ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (40s ago)' },
  { name: 'Completed', obj: pod({ phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), ready: '0/1', status: 'Completed', restarts: '0' },
  { name: 'terminated without reason shows the exit code', obj: pod({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 2 } } }] }), ready: '0/1', status: 'ExitCode:2', restarts: '0' },
  { name: 'terminated by signal', obj: pod({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, signal: 9 } } }] }), ready: '0/1', status: 'Signal:9', restarts: '0' },
  { name: 'Terminating', obj: pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] }, { metadata: { name: 'p', creationTimestamp: ago(10), deletionTimestamp: ago(1) } }), ready: '1/1', status: 'Terminating', restarts: '0' },
  { name: 'Unknown on an unreachable node', obj: pod({ phase: 'Running', reason: 'NodeLost' }, { metadata: { name: 'p', creationTimestamp: ago(10), deletionTimestamp: ago(1) } }), ready: '0/1', status: 'Unknown', restarts: '0' },
  { name: 'pod-level reason (Evicted)', obj: pod({ phase: 'Failed', reason: 'Evicted' }), ready: '0/1', status: 'Evicted', restarts: '0' },
  { name: 'SchedulingGated', obj: pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ready: '0/1', status: 'SchedulingGated', restarts: '0' },
  { name: 'init container running', obj: pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] }, {}, { initContainers: [{ name: 'init', image: 'i' }] }), ready: '0/1', status: 'Init:0/1', restarts: '0' },
  { name: 'init container failing', obj: pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, {}, { initContainers: [{ name: 'init', image: 'i' }] }), ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '2' },
  { name: 'init container error exit', obj: pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 3 } } }] }, {}, { initContainers: [{ name: 'init', image: 'i' }] }), ready: '0/1', status: 'Init:ExitCode:3', restarts: '0' },
  { name: 'sidecar counts as a container', obj: pod({ phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }], initContainerStatuses: [{ name: 'side', ready: true, started: true, state: { running: {} } }], containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] }, {}, { initContainers: [{ name: 'side', image: 'i', restartPolicy: 'Always' }] }), ready: '2/2', status: 'Running', restarts: '0' },
  { name: 'completed container next to a running one', obj: pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'c', ready: true, state: { running: {} } }] }, {}, { containers: [{ name: 'c' }, { name: 'a' }] }), ready: '1/2', status: 'NotReady', restarts: '0' },
]
for (const c of podCases) {
  pods(c.name, () => {
    const r = row(c.obj)
    assert.equal([r.READY, r.STATUS, r.RESTARTS], [c.ready, c.status, c.restarts])
  })
}
pods.run()

const cells = suite('columns: cells of the other kinds')
const hpa = (spec: Record<string, unknown>, status: Record<string, unknown> = {}, apiVersion = 'autoscaling/v2'): KubeObject => ({
  apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', creationTimestamp: ago(60) },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, ...spec }, status,
})
const cpu = (u: number): Record<string, unknown> => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } })
const cellCases: Array<{ name: string; obj: KubeObject; column: string; want: unknown }> = [
  { name: 'HPA targets with current utilization', obj: hpa({ minReplicas: 2, metrics: [cpu(80)] }, { currentReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 20, averageValue: '50m' } } }] }), column: 'TARGETS', want: 'cpu: 20%/80%' },
  { name: 'HPA targets without metrics yet', obj: hpa({ metrics: [cpu(80)] }), column: 'TARGETS', want: 'cpu: <unknown>/80%' },
  { name: 'HPA more than two metrics', obj: hpa({ metrics: [cpu(80), cpu(70), { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }] }), column: 'TARGETS', want: 'cpu: <unknown>/80%, cpu: <unknown>/70% + 1 more...' },
  { name: 'HPA average value target', obj: hpa({ metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }] }), column: 'TARGETS', want: 'memory: <unknown>/100Mi' },
  { name: 'HPA no metrics', obj: hpa({}), column: 'TARGETS', want: '<none>' },
  { name: 'HPA autoscaling/v1 object', obj: hpa({ targetCPUUtilizationPercentage: 50 }, { currentCPUUtilizationPercentage: 31 }, 'autoscaling/v1'), column: 'TARGETS', want: 'cpu: 31%/50%' },
  { name: 'HPA MINPODS unset', obj: hpa({}), column: 'MINPODS', want: '<unset>' },
  { name: 'HPA REFERENCE', obj: hpa({}), column: 'REFERENCE', want: 'Deployment/web' },
  { name: 'Service NodePort without external IPs', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', clusterIP: '10.0.0.1', ports: [{ port: 80, nodePort: 30000, protocol: 'TCP' }] } }, column: 'EXTERNAL-IP', want: '<none>' },
  { name: 'Service LoadBalancer pending', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer' } }, column: 'EXTERNAL-IP', want: '<pending>' },
  { name: 'Service ExternalName', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } }, column: 'EXTERNAL-IP', want: 'db.example.com' },
  { name: 'Service headless', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] } }, column: 'PORT(S)', want: '<none>' },
  { name: 'Endpoints more than three', obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.1.0.20' }, { ip: '10.1.0.21' }], ports: [{ port: 53 }, { port: 9153 }] }] }, column: 'ENDPOINTS', want: '10.1.0.20:53,10.1.0.21:53,10.1.0.20:9153 + 1 more...' },
  { name: 'Endpoints none', obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' } }, column: 'ENDPOINTS', want: '<none>' },
  { name: 'Node ready, cordoned, roles', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, column: 'STATUS', want: 'Ready,SchedulingDisabled' },
  { name: 'Node roles sorted', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } } }, column: 'ROLES', want: 'control-plane,worker' },
  { name: 'Node without Ready condition', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }, column: 'STATUS', want: 'Unknown' },
  { name: 'Node wide OS image unknown', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }, column: 'OS-IMAGE', want: '<unknown>' },
  { name: 'Event object and count', obj: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' }, involvedObject: { kind: 'Deployment', name: 'web' }, type: 'Normal', reason: 'ScalingReplicaSet', message: ' Scaled up \n', lastTimestamp: ago(61) }, column: 'OBJECT', want: 'deployment/web' },
  { name: 'Event last seen falls back to first seen', obj: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, firstTimestamp: ago(61) }, column: 'LAST SEEN', want: '61s' },
  { name: 'Event message trimmed', obj: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod' }, message: ' Scaled up \n' }, column: 'MESSAGE', want: 'Scaled up' },
  { name: 'Event singleton count is 1', obj: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod' } }, column: 'COUNT', want: 1 },
  { name: 'Ingress class, hosts, TLS ports', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a'] }], rules: [{ host: 'a.example.com' }, {}, { host: 'b.example.com' }, { host: 'c' }, { host: 'd' }] } }, column: 'HOSTS', want: 'a.example.com,b.example.com,c + 2 more...' },
  { name: 'Ingress ports with TLS', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { tls: [{}] } }, column: 'PORTS', want: '80, 443' },
  { name: 'Ingress without class', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: {} }, column: 'CLASS', want: '<none>' },
  { name: 'Ingress without rules hosts *', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: {} }, column: 'HOSTS', want: '*' },
  { name: 'ConfigMap DATA counts binaryData', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, column: 'DATA', want: 3 },
  { name: 'Secret TYPE', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==' } }, column: 'TYPE', want: 'Opaque' },
  { name: 'Namespace STATUS', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, status: { phase: 'Active' } }, column: 'STATUS', want: 'Active' },
  { name: 'ReplicaSet selector', obj: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { replicas: 2, selector: { matchLabels: { 'pod-template-hash': 'abc', app: 'web' } }, template: { spec: { containers: [] } } } }, column: 'SELECTOR', want: 'app=web,pod-template-hash=abc' },
  { name: 'Deployment READY', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 3 }, status: { readyReplicas: 1 } }, column: 'READY', want: '1/3' },
  { name: 'NodePool READY', obj: { apiVersion: 'capstan.dev/v1', kind: 'NodePool', metadata: { name: 'pool' }, spec: { region: 'eu-west', zones: ['a', 'b', 'c'], machineType: { name: 'n2-standard-4' }, nodesPerZone: 1 }, status: { nodes: 3, readyNodes: 2 } }, column: 'READY', want: '2/3' },
  { name: 'NodePool READY with per-zone counts', obj: { apiVersion: 'capstan.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'pool' }, spec: { zones: ['a', 'b'], zoneCounts: { a: 2, b: 3 } }, status: { readyNodes: 5 } }, column: 'READY', want: '5/5' },
  { name: 'NodePool MACHINE-TYPE', obj: { apiVersion: 'capstan.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'pool' }, spec: { zones: ['a'], machineType: { name: 'n1-standard-2', cpu: '2', memory: '7.5Gi' } } }, column: 'MACHINE-TYPE', want: 'n1-standard-2' },
  { name: 'NodePool ZONES', obj: { apiVersion: 'capstan.dev/v1', kind: 'NodePool', metadata: { name: 'pool' }, spec: { zones: ['a', 'b'] } }, column: 'ZONES', want: 'a,b' },
  { name: 'SyncRecord short commit', obj: { apiVersion: 'capstan.dev/v1', kind: 'SyncRecord', metadata: { name: 's' }, spec: { commit: '0123456789abcdef', subject: 'Bump web', changes: [{}, {}], result: 'Succeeded' } }, column: 'COMMIT', want: '0123456' },
  { name: 'SyncRecord changes count', obj: { apiVersion: 'capstan.dev/v1', kind: 'SyncRecord', metadata: { name: 's' }, spec: { commit: 'abc', changes: [{}, {}] } }, column: 'CHANGES', want: 2 },
  { name: 'unknown kind age', obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', creationTimestamp: ago(3600 * 30) } }, column: 'AGE', want: '30h' },
  { name: 'missing creationTimestamp', obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, column: 'AGE', want: '<unknown>' },
]
for (const c of cellCases) cells(c.name, () => assert.equal(row(c.obj)[c.column], c.want))
cells.run()

const table = suite('columns: the Table object')
table('Table carries column definitions, cells and partial object metadata', () => {
  const t = buildTable([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns', creationTimestamp: ago(5) }, data: { a: 'b' } }], { now: NOW, resourceVersion: '7' })
  assert.is(t.kind, 'Table')
  assert.is(t.apiVersion, 'meta.k8s.io/v1')
  assert.equal(t.metadata, { resourceVersion: '7' })
  assert.equal(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]), [['Name', 'string', 'name', 0], ['Data', 'string', '', 0], ['Age', 'string', '', 0]])
  assert.equal(t.rows[0].cells, ['c', 1, '5s'])
  assert.equal(t.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'c', namespace: 'ns', creationTimestamp: ago(5) } })
})
table('completed pods carry the Completed row condition', () => {
  const t = buildTable([pod({ phase: 'Succeeded' })], { now: NOW, includeObject: 'None' })
  assert.equal(t.rows[0].conditions?.map((c) => [c.type, c.status, c.reason]), [['Completed', 'True', 'Succeeded']])
  assert.is(t.rows[0].object, undefined)
})
table.run()
