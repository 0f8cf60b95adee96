/** apps/v1 Deployment (k8s.io/api/apps/v1/generated.proto). */
import { LabelSelector, message, ObjectMeta, status } from './messages-meta.js'
import { PodTemplateSpec } from './messages-pod.js'

const DeploymentStrategy = message('DeploymentStrategy', {
  1: { name: 'type', type: 'string' },
  2: {
    name: 'rollingUpdate',
    type: message('RollingUpdateDeployment', { 1: { name: 'maxUnavailable', type: 'intOrString' }, 2: { name: 'maxSurge', type: 'intOrString' } }),
  },
})

const DeploymentSpec = message('DeploymentSpec', {
  1: { name: 'replicas', type: 'int32', keep: true },
  2: { name: 'selector', type: LabelSelector },
  3: { name: 'template', type: PodTemplateSpec },
  4: { name: 'strategy', type: DeploymentStrategy },
  5: { name: 'minReadySeconds', type: 'int32' },
  6: { name: 'revisionHistoryLimit', type: 'int32', keep: true },
  7: { name: 'paused', type: 'bool' },
  9: { name: 'progressDeadlineSeconds', type: 'int32', keep: true },
})

export const Deployment = message('Deployment', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'spec', type: DeploymentSpec },
  3: status('DeploymentStatus'),
})
