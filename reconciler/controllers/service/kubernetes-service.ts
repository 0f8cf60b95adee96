/**
 * The `default/kubernetes` Service kube-apiserver keeps for itself: ClusterIP 10.96.0.1 (the first
 * address of the service CIDR), port `https` 443 → 6443, no selector (its Endpoints are the API
 * servers, which capstan does not list: its endpoint is not a pod).
 */
import type { KObject } from '../../api/object.js'
import { KUBERNETES_SERVICE_IP } from '../../api/service-ip-range.js'

/** The Service, as kube-apiserver's controlplane reconciler creates it. */
export function kubernetesService(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: KUBERNETES_SERVICE_IP,
      clusterIPs: [KUBERNETES_SERVICE_IP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
  }
}
