/** Valid objects of each kind, shared by the schema tests. */

export const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: null },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        securityContext: { runAsNonRoot: true, fsGroup: 2000 },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }],
            },
          },
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, anything: 'goes' }] },
        },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
        ],
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            args: ['--port', '8080'],
            ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
            env: [
              { name: 'MODE', value: 'prod' },
              { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'color', optional: true } } },
            ],
            envFrom: [{ secretRef: { name: 'web-secrets' } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
            volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5 },
            readinessProbe: { tcpSocket: { port: 8080 } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'web-config', items: [{ key: 'color', path: 'color' }] } },
          { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
        ],
      },
    },
  },
}

export const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
}

export const hpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
  },
}

export const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
    rules: [
      {
        host: 'web.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      },
    ],
  },
}

export const nodePool = {
  apiVersion: 'capstan.dev/v1alpha1',
  kind: 'NodePool',
  metadata: { name: 'general' },
  spec: {
    region: 'europe-west1',
    zones: ['europe-west1-b', 'europe-west1-c'],
    nodesPerZone: 2,
    zoneCounts: { 'europe-west1-c': 3 },
    machineType: { name: 'e2-standard-4', cpu: '4', memory: '16Gi', pods: 110 },
    labels: { pool: 'general' },
    taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
  },
  status: {
    nodes: 5,
    readyNodes: 4,
    zones: [{ name: 'europe-west1-b', nodes: 2, readyNodes: 2 }],
    observedGeneration: 1,
    conditions: [{ type: 'Ready', status: 'False', reason: 'NodesStarting', message: '4/5', lastTransitionTime: '2026-11-01T10:00:00Z' }],
  },
}

export const syncRecord = {
  apiVersion: 'capstan.dev/v1alpha1',
  kind: 'SyncRecord',
  metadata: { name: 'sync-0001' },
  spec: {
    repo: '/srv/git/deploy',
    ref: 'refs/heads/main',
    path: 'apps',
    commit: '3f786850e387550fdab836ed7e6dc881de23001b',
    author: { name: 'Ada', email: 'ada@example.com' },
    subject: 'web: bump to 1.27',
    time: '2026-11-01T10:00:00Z',
    trigger: 'webhook',
    result: 'Succeeded',
    reason: 'Synced',
    message: '1 changed',
    changes: [{ action: 'update', group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'default', name: 'web', file: 'apps/web.yaml' }],
    deployments: [
      { namespace: 'default', name: 'web', revision: 4, replicaSet: 'web-5d4c9b7f8', podTemplateHash: '5d4c9b7f8', previousRevision: 3, rollback: false },
    ],
    revertOf: '89e6c98d92887913cadf06b2adb97f26cde4849b',
  },
}
