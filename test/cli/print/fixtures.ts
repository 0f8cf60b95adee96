/** Objects shared by the printer tests and the kubectl golden harness. */
import type { KubeObject } from '../../../reconciler/cli/print/index.js'

/** The clock of the tests: ages are computed against it. */
export const NOW = new Date('2024-05-01T12:00:00Z')

/** An RFC 3339 time `s` seconds before NOW. */
export const ago = (s: number): string => new Date(NOW.getTime() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** Two deployments in different namespaces. */
export const deployments: KubeObject[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(3725), labels: { app: 'web', 'app.kubernetes.io/managed-by': 'capstan' }, uid: 'u1', resourceVersion: '10' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox' }] } } },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  },
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'api-server-long-name', namespace: 'prod', creationTimestamp: ago(86400 * 3 + 7200), uid: 'u2', resourceVersion: '11' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'api', tier: 'backend' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }] }, template: { spec: { containers: [{ name: 'api', image: 'example/api:2' }] } } },
    status: {},
  },
]

/** Pods in various states. */
export const pods: KubeObject[] = [
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-5d8f-abcde', namespace: 'default', creationTimestamp: ago(600), labels: { app: 'web' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'nginx', image: 'nginx' }] },
    status: { phase: 'Running', podIP: '10.0.0.5', conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'nginx', ready: true, restartCount: 2, state: { running: { startedAt: ago(100) } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(185) } } }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-5d8f-fghij', namespace: 'default', creationTimestamp: ago(30) },
    spec: { containers: [{ name: 'nginx', image: 'nginx:kitty' }] },
    status: { phase: 'Pending', containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'job-1', namespace: 'default', creationTimestamp: ago(7200) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], readinessGates: [{ conditionType: 'example.com/gate' }] },
    status: { phase: 'Succeeded', podIPs: [{ ip: '10.0.0.9' }], containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  },
]

/** A ClusterIP and a LoadBalancer service. */
export const services: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: ago(90000) },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP', targetPort: 6443 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(59) },
    spec: { type: 'LoadBalancer', clusterIP: '10.96.12.34', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'lb.example.com' }] } } },
]

/** A ConfigMap whose values exercise YAML and JSON quoting, folding and key order. */
export const trickyConfigMap: KubeObject = {
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: 'tricky', namespace: 'default', creationTimestamp: ago(5), annotations: {
    'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{},"name":"tricky","namespace":"default"}}\n',
    long: 'This is a fairly long sentence that goes on and on so that the YAML emitter has to fold it over several lines at eighty columns.',
    longcolon: 'key: value pairs in a long single quoted string that also needs folding because it is longer than the best width of eighty',
  } },
  data: {
    empty: '', yes: 'yes', num: '123', float: '1.5', octal: '0755', colon: 'a: b', dash: '- x', hash: '#x', midhash: 'x #y', tab: 'a\tb',
    unicode: 'héllo wörld ✓', ts: '2024-01-01T00:00:00Z', multi: 'line1\nline2\n', multiNoEnd: 'line1\n\nline3', multiTrail: 'a\n\n', leading: ' lead', trailing: 'trail ',
    quote: "it's \"quoted\"", html: '<a href="x">&</a>', tilde: '~', null: 'null', True: 'True', star: '*x', amp: '&a', bang: '!a', pct: '%a', at: '@a', brace: '{a}', bracket: '[a]',
    a10: '1', a9: '2', A: 'upper', _under: 'u', 'dot.key': 'd', 'dash-key': 'd', '1k': 'k', spaced: 'two  spaces', version: '1.0', e: '1e3', hex: '0x1F', sexa: '1:20', dashonly: '-', q: '?', colonend: 'a:',
    indented: '  spaced\nlines\n',
  },
}

/** A pod whose fields exercise numbers, booleans, nulls and nested lists in YAML and JSON. */
export const numericPod: KubeObject = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'numeric', namespace: 'default', creationTimestamp: null },
  spec: { containers: [{ name: 'c', image: 'i', args: ['--x=1', '2', 'true'], ports: [{ containerPort: 80 }], resources: {} }], terminationGracePeriodSeconds: 30, hostNetwork: false, tolerations: [],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['a', 'b'] }] }] } } } },
  status: { phase: 'Pending', x: [[1, 2], [], [{ a: 1 }]], ratio: 0.25, big: 12345678901, neg: -3, frac: 1.5e-7 },
}
