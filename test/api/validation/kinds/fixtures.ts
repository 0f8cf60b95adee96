/** Valid objects of each kind, before defaulting. */
import type { KObject } from '../../../../reconciler/api/object.js'

/** A minimal valid pod spec with a volume, a mount, env and resources. */
export function podSpec(): Record<string, unknown> {
  return {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }],
        env: [
          { name: 'MODE', value: 'prod' },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
        volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      },
    ],
    initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['true'] }],
    volumes: [{ name: 'config', configMap: { name: 'settings', items: [{ key: 'site', path: 'conf.d/site.conf' }] } }],
    nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
    ],
  }
}

export function pod(): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: podSpec() }
}

export function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: podSpec() },
    },
  }
}

export function replicaSet(): KObject {
  const d = deployment()
  return { ...d, kind: 'ReplicaSet', metadata: { name: 'web-5d8f', namespace: 'default' } }
}

export function service(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    },
  }
}

export function endpoints(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.244.0.5', nodeName: 'node-1' }], ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }] }],
  }
}

export function ingress(): KObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com', '*.example.com'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              { path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { name: 'http' } } } },
            ],
          },
        },
        { host: '*.example.com', http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
      ],
    },
  }
}

export function hpa(): KObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
    },
  }
}

export function namespace(): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }
}

export function node(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    spec: { podCIDR: '10.244.1.0/24', providerID: 'capstan://pool/node-1', taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] },
    status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '3800m', memory: '15Gi', pods: '110' } },
  }
}

export function event(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/web to node-1',
    type: 'Normal',
  }
}

export function nodePool(): KObject {
  return {
    apiVersion: 'capstan.dev/v1alpha1',
    kind: 'NodePool',
    metadata: { name: 'general' },
    spec: {
      region: 'europe-west1',
      zones: ['zone-a', 'zone-b'],
      nodesPerZone: 2,
      zoneCounts: { 'zone-b': 3 },
      machineType: { name: 'e2-standard-4', cpu: '4', memory: '16Gi' },
      labels: { pool: 'general' },
      taints: [{ key: 'pool', value: 'general', effect: 'PreferNoSchedule' }],
    },
  }
}

export function syncRecord(): KObject {
  return {
    apiVersion: 'capstan.dev/v1alpha1',
    kind: 'SyncRecord',
    metadata: { name: 'sync-1' },
    spec: {
      commit: '0123456789abcdef0123456789abcdef01234567',
      result: 'Succeeded',
      trigger: 'manual',
      deployments: [{ namespace: 'default', name: 'web', revision: 2, previousRevision: 1 }],
    },
  }
}
