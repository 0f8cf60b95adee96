/** networking.k8s.io/v1 Ingress (k8s.io/api/networking/v1/generated.proto). */
import { message, ObjectMeta, status } from './messages-meta.js'

const IngressBackend = message('IngressBackend', {
  3: {
    name: 'resource',
    type: message('TypedLocalObjectReference', {
      1: { name: 'apiGroup', type: 'string', keep: true },
      2: { name: 'kind', type: 'string' },
      3: { name: 'name', type: 'string' },
    }),
  },
  4: {
    name: 'service',
    type: message('IngressServiceBackend', {
      1: { name: 'name', type: 'string' },
      2: { name: 'port', type: message('ServiceBackendPort', { 1: { name: 'name', type: 'string' }, 2: { name: 'number', type: 'int32' } }) },
    }),
  },
})

const HTTPIngressPath = message('HTTPIngressPath', {
  1: { name: 'path', type: 'string' },
  2: { name: 'backend', type: IngressBackend },
  3: { name: 'pathType', type: 'string', keep: true },
})

const IngressRule = message('IngressRule', {
  1: { name: 'host', type: 'string' },
  2: {
    name: 'ingressRuleValue',
    inline: true,
    type: message('IngressRuleValue', { 1: { name: 'http', type: message('HTTPIngressRuleValue', { 1: { name: 'paths', type: HTTPIngressPath, repeated: true } }) } }),
  },
})

const IngressSpec = message('IngressSpec', {
  1: { name: 'defaultBackend', type: IngressBackend },
  2: { name: 'tls', type: message('IngressTLS', { 1: { name: 'hosts', type: 'string', repeated: true }, 2: { name: 'secretName', type: 'string' } }), repeated: true },
  3: { name: 'rules', type: IngressRule, repeated: true },
  4: { name: 'ingressClassName', type: 'string', keep: true },
})

export const Ingress = message('Ingress', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'spec', type: IngressSpec },
  3: status('IngressStatus'),
})
