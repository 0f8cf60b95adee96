/** core/v1 kinds: ConfigMap, Secret, Namespace, Service and Pod (k8s.io/api/core/v1/generated.proto). */
import { message, ObjectMeta, status } from './messages-meta.js'
import { PodSpec } from './messages-pod.js'

export const ConfigMap = message('ConfigMap', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'data', type: 'string', map: 'string' },
  3: { name: 'binaryData', type: 'bytes', map: 'bytes' },
  4: { name: 'immutable', type: 'bool', keep: true },
})

export const Secret = message('Secret', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'data', type: 'bytes', map: 'bytes' },
  3: { name: 'type', type: 'string' },
  4: { name: 'stringData', type: 'string', map: 'string' },
  5: { name: 'immutable', type: 'bool', keep: true },
})

export const Namespace = message('Namespace', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'spec', type: message('NamespaceSpec', { 1: { name: 'finalizers', type: 'string', repeated: true } }) },
  3: status('NamespaceStatus'),
})

const ServicePort = message('ServicePort', {
  1: { name: 'name', type: 'string' },
  2: { name: 'protocol', type: 'string' },
  3: { name: 'port', type: 'int32', keep: true },
  4: { name: 'targetPort', type: 'intOrString' },
  5: { name: 'nodePort', type: 'int32' },
  6: { name: 'appProtocol', type: 'string', keep: true },
})

const ServiceSpec = message('ServiceSpec', {
  1: { name: 'ports', type: ServicePort, repeated: true },
  2: { name: 'selector', type: 'string', map: 'string' },
  3: { name: 'clusterIP', type: 'string' },
  4: { name: 'type', type: 'string' },
  5: { name: 'externalIPs', type: 'string', repeated: true },
  7: { name: 'sessionAffinity', type: 'string' },
  8: { name: 'loadBalancerIP', type: 'string' },
  9: { name: 'loadBalancerSourceRanges', type: 'string', repeated: true },
  10: { name: 'externalName', type: 'string' },
  11: { name: 'externalTrafficPolicy', type: 'string' },
  12: { name: 'healthCheckNodePort', type: 'int32' },
  13: { name: 'publishNotReadyAddresses', type: 'bool' },
  14: {
    name: 'sessionAffinityConfig',
    type: message('SessionAffinityConfig', { 1: { name: 'clientIP', type: message('ClientIPConfig', { 1: { name: 'timeoutSeconds', type: 'int32', keep: true } }) } }),
  },
  17: { name: 'ipFamilyPolicy', type: 'string', keep: true },
  18: { name: 'clusterIPs', type: 'string', repeated: true },
  19: { name: 'ipFamilies', type: 'string', repeated: true },
  20: { name: 'allocateLoadBalancerNodePorts', type: 'bool', keep: true },
  21: { name: 'loadBalancerClass', type: 'string', keep: true },
  22: { name: 'internalTrafficPolicy', type: 'string', keep: true },
  23: { name: 'trafficDistribution', type: 'string', keep: true },
})

export const Service = message('Service', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'spec', type: ServiceSpec },
  3: status('ServiceStatus'),
})

export const Pod = message('Pod', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'spec', type: PodSpec },
  3: status('PodStatus'),
})
