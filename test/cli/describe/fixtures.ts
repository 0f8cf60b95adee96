/** Objects shared by the describe tests: a rollout in progress, a pod that cannot pull, and friends. */
import type { EventObject, KubeObject } from '../../../reconciler/cli/describe/index.js'

export const NOW = new Date('2024-05-01T12:00:00Z')

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: {
    containers: [
      {
        name: 'web',
        image,
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'color' } } },
          { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'token', optional: true } } },
        ],
        volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true }],
      },
    ],
    volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
  },
})

export const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'd-1',
    creationTimestamp: '2024-05-01T11:00:00Z',
    labels: { app: 'web', 'app.kubernetes.io/managed-by': 'capstan' },
    annotations: { 'deployment.kubernetes.io/revision': '2', 'capstan.dev/source': 'apps/web.yaml' },
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: template('nginx:1.25'),
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
  },
  status: {
    replicas: 4,
    updatedReplicas: 1,
    availableReplicas: 3,
    unavailableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ],
  },
}

const owner = (kind: string, name: string, uid: string) => [{ apiVersion: 'apps/v1', kind, name, uid, controller: true }]

export const oldRS: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-6d4cf56db6', namespace: 'default', uid: 'rs-1', creationTimestamp: '2024-05-01T11:00:00Z', labels: { app: 'web', 'pod-template-hash': '6d4cf56db6' }, ownerReferences: owner('Deployment', 'web', 'd-1') },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '6d4cf56db6' } }, template: template('nginx:1.24', '6d4cf56db6') },
  status: { replicas: 3 },
}

export const newRS: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-7b9f8c6d5d', namespace: 'default', uid: 'rs-2', creationTimestamp: '2024-05-01T11:55:00Z', labels: { app: 'web', 'pod-template-hash': '7b9f8c6d5d' }, ownerReferences: owner('Deployment', 'web', 'd-1') },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7b9f8c6d5d' } }, template: template('nginx:1.25', '7b9f8c6d5d') },
  status: { replicas: 1 },
}

const ev = (o: Partial<EventObject>): EventObject => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, ...o })

export const deploymentEvents: EventObject[] = [
  ev({
    involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'd-1' },
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-7b9f8c6d5d to 1',
    count: 1,
    firstTimestamp: '2024-05-01T11:55:00Z',
    lastTimestamp: '2024-05-01T11:55:00Z',
    source: { component: 'deployment-controller' },
  }),
  ev({
    involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'd-1' },
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-6d4cf56db6 to 3',
    count: 1,
    firstTimestamp: '2024-05-01T11:00:00Z',
    lastTimestamp: '2024-05-01T11:00:00Z',
    source: { component: 'deployment-controller' },
  }),
  // About another object: must not show.
  ev({ involvedObject: { kind: 'ReplicaSet', namespace: 'default', name: 'web', uid: 'x' }, type: 'Normal', reason: 'Other', message: 'no' }),
]

export const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-7b9f8c6d5d-x2x9k',
    namespace: 'default',
    uid: 'p-1',
    creationTimestamp: '2024-05-01T11:55:00Z',
    labels: { app: 'web', 'pod-template-hash': '7b9f8c6d5d' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7b9f8c6d5d', uid: 'rs-2', controller: true }],
  },
  spec: {
    ...template('update-demo:kitty').spec,
    serviceAccountName: 'default',
    nodeName: 'node-1',
    priority: 0,
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Pending',
    hostIP: '10.0.0.11',
    podIP: '10.244.1.7',
    podIPs: [{ ip: '10.244.1.7' }],
    startTime: '2024-05-01T11:55:00Z',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False' },
      { type: 'ContainersReady', status: 'False' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [
      { name: 'web', image: 'update-demo:kitty', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "update-demo:kitty"' } } },
    ],
  },
}

export const podEvents: EventObject[] = [
  ev({
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-7b9f8c6d5d-x2x9k', uid: 'p-1' },
    type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web-7b9f8c6d5d-x2x9k to node-1',
    firstTimestamp: '2024-05-01T11:55:00Z', lastTimestamp: '2024-05-01T11:55:00Z', count: 1, source: { component: 'default-scheduler' },
  }),
  ev({
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-7b9f8c6d5d-x2x9k', uid: 'p-1' },
    type: 'Warning', reason: 'Failed', message: 'Failed to pull image "update-demo:kitty": tag kitty not found\n',
    firstTimestamp: '2024-05-01T11:55:02Z', lastTimestamp: '2024-05-01T11:58:30Z', count: 5, source: { component: 'kubelet', host: 'node-1' },
  }),
  ev({
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-7b9f8c6d5d-x2x9k', uid: 'p-1' },
    type: 'Normal', reason: 'BackOff', message: 'Back-off pulling image "update-demo:kitty"',
    firstTimestamp: '2024-05-01T11:55:03Z', lastTimestamp: '2024-05-01T11:59:55Z', count: 21, reportingComponent: 'kubelet',
  }),
]

export const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: 'default', uid: 'cm-1', labels: { app: 'web' } },
  data: { 'nginx.conf': 'server {\n  listen 80;\n}\n', color: 'blue' },
  binaryData: { 'logo.png': Buffer.from([1, 2, 3, 4, 5]).toString('base64') },
}

export const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'web-secret', namespace: 'default', uid: 's-1', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}' } },
  type: 'Opaque',
  data: { token: Buffer.from('s3cr3t-value').toString('base64'), password: Buffer.from('hunter2').toString('base64') },
}

export const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'default', uid: 'i-1', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['foo.bar.com'], secretName: 'tls-secret' }],
    rules: [
      {
        host: 'foo.bar.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } },
          ],
        },
      },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } },
}

export const services: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] } },
]

export const endpoints: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.1.6' }, { ip: '10.244.2.3' }, { ip: '10.244.2.4' }], notReadyAddresses: [{ ip: '10.244.1.7' }], ports: [{ port: 80, protocol: 'TCP' }] }],
  },
]

export const hpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', uid: 'h-1', creationTimestamp: '2024-05-01T10:00:00Z' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  },
  status: {
    currentReplicas: 3,
    desiredReplicas: 4,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 68, averageValue: '68m' } } }],
    conditions: [
      { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
    ],
  },
}

export const hpaEvents: EventObject[] = [
  ev({
    involvedObject: { kind: 'HorizontalPodAutoscaler', namespace: 'default', name: 'web', uid: 'h-1' },
    type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target',
    firstTimestamp: '2024-05-01T11:57:00Z', lastTimestamp: '2024-05-01T11:57:00Z', count: 1, source: { component: 'horizontal-pod-autoscaler' },
  }),
]

export const node: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'node-1',
    uid: 'n-1',
    creationTimestamp: '2024-04-30T12:00:00Z',
    labels: { 'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/worker': '', 'topology.kubernetes.io/zone': 'zone-a' },
  },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', lastHeartbeatTime: '2024-05-01T11:59:00Z', lastTransitionTime: '2024-04-30T12:00:30Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
    addresses: [{ type: 'InternalIP', address: '10.0.0.11' }, { type: 'Hostname', address: 'node-1' }],
    capacity: { cpu: '2', memory: '4Gi', pods: '110', 'ephemeral-storage': '20Gi' },
    allocatable: { cpu: '1900m', memory: '3848Mi', pods: '110', 'ephemeral-storage': '20Gi' },
    nodeInfo: {
      machineID: 'm-1', systemUUID: 'u-1', bootID: 'b-1', kernelVersion: '6.1.0', osImage: 'capstan sim', operatingSystem: 'linux',
      architecture: 'amd64', containerRuntimeVersion: 'sim://1.0', kubeletVersion: 'v1.32.0', kubeProxyVersion: '',
    },
  },
}

export const nodePods: KubeObject[] = [
  {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-6d4cf56db6-abcde', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } }] },
    status: { phase: 'Running' },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-0', namespace: 'shop', creationTimestamp: '2024-04-30T12:00:00Z' },
    spec: { nodeName: 'node-1', containers: [{ name: 'api', resources: { requests: { cpu: '100m' } } }] },
    status: { phase: 'Running' },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done', namespace: 'default', creationTimestamp: '2024-04-30T12:00:00Z' },
    spec: { nodeName: 'node-1', containers: [{ name: 'job', resources: { requests: { cpu: '1' } } }] },
    status: { phase: 'Succeeded' },
  },
]
