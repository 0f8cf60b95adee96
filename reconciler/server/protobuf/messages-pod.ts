/**
 * core/v1 PodTemplateSpec and PodSpec with what they hold (containers, probes, volumes, affinity,
 * security contexts), field numbers from k8s.io/api/core/v1/generated.proto (Kubernetes 1.32).
 * Not decoded (a request that carries them is refused, naming the field): ephemeralContainers and
 * the volume sources other than hostPath, emptyDir, secret, nfs, persistentVolumeClaim,
 * downwardAPI, configMap, projected, csi and image.
 */
import { LabelSelector, message, ObjectMeta } from './messages-meta.js'

const LocalObjectReference = message('LocalObjectReference', { 1: { name: 'name', type: 'string' } })
const localRef = { name: 'localObjectReference', type: LocalObjectReference, inline: true } as const

const ObjectFieldSelector = message('ObjectFieldSelector', {
  1: { name: 'apiVersion', type: 'string' },
  2: { name: 'fieldPath', type: 'string' },
})
const ResourceFieldSelector = message('ResourceFieldSelector', {
  1: { name: 'containerName', type: 'string' },
  2: { name: 'resource', type: 'string' },
  3: { name: 'divisor', type: 'quantity' },
})
const keySelector = (name: string) =>
  message(name, {
    1: localRef,
    2: { name: 'key', type: 'string' },
    3: { name: 'optional', type: 'bool', keep: true },
  })
const EnvVarSource = message('EnvVarSource', {
  1: { name: 'fieldRef', type: ObjectFieldSelector },
  2: { name: 'resourceFieldRef', type: ResourceFieldSelector },
  3: { name: 'configMapKeyRef', type: keySelector('ConfigMapKeySelector') },
  4: { name: 'secretKeyRef', type: keySelector('SecretKeySelector') },
})
const EnvVar = message('EnvVar', {
  1: { name: 'name', type: 'string' },
  2: { name: 'value', type: 'string' },
  3: { name: 'valueFrom', type: EnvVarSource },
})
const envSource = (name: string) => message(name, { 1: localRef, 2: { name: 'optional', type: 'bool', keep: true } })
const EnvFromSource = message('EnvFromSource', {
  1: { name: 'prefix', type: 'string' },
  2: { name: 'configMapRef', type: envSource('ConfigMapEnvSource') },
  3: { name: 'secretRef', type: envSource('SecretEnvSource') },
})
const ContainerPort = message('ContainerPort', {
  1: { name: 'name', type: 'string' },
  2: { name: 'hostPort', type: 'int32' },
  3: { name: 'containerPort', type: 'int32', keep: true },
  4: { name: 'protocol', type: 'string' },
  5: { name: 'hostIP', type: 'string' },
})
const ResourceRequirements = message('ResourceRequirements', {
  1: { name: 'limits', type: 'quantity', map: 'quantity' },
  2: { name: 'requests', type: 'quantity', map: 'quantity' },
  3: { name: 'claims', type: message('ResourceClaim', { 1: { name: 'name', type: 'string' }, 2: { name: 'request', type: 'string' } }), repeated: true },
})
const VolumeMount = message('VolumeMount', {
  1: { name: 'name', type: 'string' },
  2: { name: 'readOnly', type: 'bool' },
  3: { name: 'mountPath', type: 'string' },
  4: { name: 'subPath', type: 'string' },
  5: { name: 'mountPropagation', type: 'string', keep: true },
  6: { name: 'subPathExpr', type: 'string' },
  7: { name: 'recursiveReadOnly', type: 'string', keep: true },
})
const HTTPGetAction = message('HTTPGetAction', {
  1: { name: 'path', type: 'string' },
  2: { name: 'port', type: 'intOrString' },
  3: { name: 'host', type: 'string' },
  4: { name: 'scheme', type: 'string' },
  5: { name: 'httpHeaders', type: message('HTTPHeader', { 1: { name: 'name', type: 'string' }, 2: { name: 'value', type: 'string' } }), repeated: true },
})
const ExecAction = message('ExecAction', { 1: { name: 'command', type: 'string', repeated: true } })
const TCPSocketAction = message('TCPSocketAction', {
  1: { name: 'port', type: 'intOrString' },
  2: { name: 'host', type: 'string' },
})
const ProbeHandler = message('ProbeHandler', {
  1: { name: 'exec', type: ExecAction },
  2: { name: 'httpGet', type: HTTPGetAction },
  3: { name: 'tcpSocket', type: TCPSocketAction },
  4: { name: 'grpc', type: message('GRPCAction', { 1: { name: 'port', type: 'int32', keep: true }, 2: { name: 'service', type: 'string', keep: true } }) },
})
const Probe = message('Probe', {
  1: { name: 'handler', type: ProbeHandler, inline: true },
  2: { name: 'initialDelaySeconds', type: 'int32' },
  3: { name: 'timeoutSeconds', type: 'int32' },
  4: { name: 'periodSeconds', type: 'int32' },
  5: { name: 'successThreshold', type: 'int32' },
  6: { name: 'failureThreshold', type: 'int32' },
  7: { name: 'terminationGracePeriodSeconds', type: 'int64', keep: true },
})
const LifecycleHandler = message('LifecycleHandler', {
  1: { name: 'exec', type: ExecAction },
  2: { name: 'httpGet', type: HTTPGetAction },
  3: { name: 'tcpSocket', type: TCPSocketAction },
  4: { name: 'sleep', type: message('SleepAction', { 1: { name: 'seconds', type: 'int64', keep: true } }) },
})
const Lifecycle = message('Lifecycle', {
  1: { name: 'postStart', type: LifecycleHandler },
  2: { name: 'preStop', type: LifecycleHandler },
})
const SELinuxOptions = message('SELinuxOptions', {
  1: { name: 'user', type: 'string' },
  2: { name: 'role', type: 'string' },
  3: { name: 'type', type: 'string' },
  4: { name: 'level', type: 'string' },
})
const WindowsSecurityContextOptions = message('WindowsSecurityContextOptions', {
  1: { name: 'gmsaCredentialSpecName', type: 'string', keep: true },
  2: { name: 'gmsaCredentialSpec', type: 'string', keep: true },
  3: { name: 'runAsUserName', type: 'string', keep: true },
  4: { name: 'hostProcess', type: 'bool', keep: true },
})
const profile = (name: string) =>
  message(name, {
    1: { name: 'type', type: 'string' },
    2: { name: 'localhostProfile', type: 'string', keep: true },
  })
const SecurityContext = message('SecurityContext', {
  1: { name: 'capabilities', type: message('Capabilities', { 1: { name: 'add', type: 'string', repeated: true }, 2: { name: 'drop', type: 'string', repeated: true } }) },
  2: { name: 'privileged', type: 'bool', keep: true },
  3: { name: 'seLinuxOptions', type: SELinuxOptions },
  4: { name: 'runAsUser', type: 'int64', keep: true },
  5: { name: 'runAsNonRoot', type: 'bool', keep: true },
  6: { name: 'readOnlyRootFilesystem', type: 'bool', keep: true },
  7: { name: 'allowPrivilegeEscalation', type: 'bool', keep: true },
  8: { name: 'runAsGroup', type: 'int64', keep: true },
  9: { name: 'procMount', type: 'string', keep: true },
  10: { name: 'windowsOptions', type: WindowsSecurityContextOptions },
  11: { name: 'seccompProfile', type: profile('SeccompProfile') },
  12: { name: 'appArmorProfile', type: profile('AppArmorProfile') },
})
const PodSecurityContext = message('PodSecurityContext', {
  1: { name: 'seLinuxOptions', type: SELinuxOptions },
  2: { name: 'runAsUser', type: 'int64', keep: true },
  3: { name: 'runAsNonRoot', type: 'bool', keep: true },
  4: { name: 'supplementalGroups', type: 'int64', repeated: true },
  5: { name: 'fsGroup', type: 'int64', keep: true },
  6: { name: 'runAsGroup', type: 'int64', keep: true },
  7: { name: 'sysctls', type: message('Sysctl', { 1: { name: 'name', type: 'string' }, 2: { name: 'value', type: 'string' } }), repeated: true },
  8: { name: 'windowsOptions', type: WindowsSecurityContextOptions },
  9: { name: 'fsGroupChangePolicy', type: 'string', keep: true },
  10: { name: 'seccompProfile', type: profile('SeccompProfile') },
  11: { name: 'appArmorProfile', type: profile('AppArmorProfile') },
  12: { name: 'supplementalGroupsPolicy', type: 'string', keep: true },
  13: { name: 'seLinuxChangePolicy', type: 'string', keep: true },
})

const Container = message('Container', {
  1: { name: 'name', type: 'string' },
  2: { name: 'image', type: 'string' },
  3: { name: 'command', type: 'string', repeated: true },
  4: { name: 'args', type: 'string', repeated: true },
  5: { name: 'workingDir', type: 'string' },
  6: { name: 'ports', type: ContainerPort, repeated: true },
  7: { name: 'env', type: EnvVar, repeated: true },
  8: { name: 'resources', type: ResourceRequirements },
  9: { name: 'volumeMounts', type: VolumeMount, repeated: true },
  10: { name: 'livenessProbe', type: Probe },
  11: { name: 'readinessProbe', type: Probe },
  12: { name: 'lifecycle', type: Lifecycle },
  13: { name: 'terminationMessagePath', type: 'string' },
  14: { name: 'imagePullPolicy', type: 'string' },
  15: { name: 'securityContext', type: SecurityContext },
  16: { name: 'stdin', type: 'bool' },
  17: { name: 'stdinOnce', type: 'bool' },
  18: { name: 'tty', type: 'bool' },
  19: { name: 'envFrom', type: EnvFromSource, repeated: true },
  20: { name: 'terminationMessagePolicy', type: 'string' },
  21: { name: 'volumeDevices', type: message('VolumeDevice', { 1: { name: 'name', type: 'string' }, 2: { name: 'devicePath', type: 'string' } }), repeated: true },
  22: { name: 'startupProbe', type: Probe },
  23: {
    name: 'resizePolicy',
    type: message('ContainerResizePolicy', { 1: { name: 'resourceName', type: 'string' }, 2: { name: 'restartPolicy', type: 'string' } }),
    repeated: true,
  },
  24: { name: 'restartPolicy', type: 'string', keep: true },
})

const KeyToPath = message('KeyToPath', {
  1: { name: 'key', type: 'string' },
  2: { name: 'path', type: 'string' },
  3: { name: 'mode', type: 'int32', keep: true },
})
const DownwardAPIVolumeFile = message('DownwardAPIVolumeFile', {
  1: { name: 'path', type: 'string' },
  2: { name: 'fieldRef', type: ObjectFieldSelector },
  3: { name: 'resourceFieldRef', type: ResourceFieldSelector },
  4: { name: 'mode', type: 'int32', keep: true },
})
const VolumeProjection = message('VolumeProjection', {
  1: { name: 'secret', type: message('SecretProjection', { 1: localRef, 2: { name: 'items', type: KeyToPath, repeated: true }, 4: { name: 'optional', type: 'bool', keep: true } }) },
  2: { name: 'downwardAPI', type: message('DownwardAPIProjection', { 1: { name: 'items', type: DownwardAPIVolumeFile, repeated: true } }) },
  3: { name: 'configMap', type: message('ConfigMapProjection', { 1: localRef, 2: { name: 'items', type: KeyToPath, repeated: true }, 4: { name: 'optional', type: 'bool', keep: true } }) },
  4: {
    name: 'serviceAccountToken',
    type: message('ServiceAccountTokenProjection', {
      1: { name: 'audience', type: 'string' },
      2: { name: 'expirationSeconds', type: 'int64', keep: true },
      3: { name: 'path', type: 'string' },
    }),
  },
  5: {
    name: 'clusterTrustBundle',
    type: message('ClusterTrustBundleProjection', {
      1: { name: 'name', type: 'string', keep: true },
      2: { name: 'signerName', type: 'string', keep: true },
      3: { name: 'labelSelector', type: LabelSelector },
      4: { name: 'path', type: 'string' },
      5: { name: 'optional', type: 'bool', keep: true },
    }),
  },
})
const VolumeSource = message('VolumeSource', {
  1: { name: 'hostPath', type: message('HostPathVolumeSource', { 1: { name: 'path', type: 'string' }, 2: { name: 'type', type: 'string', keep: true } }) },
  2: { name: 'emptyDir', type: message('EmptyDirVolumeSource', { 1: { name: 'medium', type: 'string' }, 2: { name: 'sizeLimit', type: 'quantity' } }) },
  6: {
    name: 'secret',
    type: message('SecretVolumeSource', {
      1: { name: 'secretName', type: 'string' },
      2: { name: 'items', type: KeyToPath, repeated: true },
      3: { name: 'defaultMode', type: 'int32', keep: true },
      4: { name: 'optional', type: 'bool', keep: true },
    }),
  },
  7: { name: 'nfs', type: message('NFSVolumeSource', { 1: { name: 'server', type: 'string' }, 2: { name: 'path', type: 'string' }, 3: { name: 'readOnly', type: 'bool' } }) },
  10: {
    name: 'persistentVolumeClaim',
    type: message('PersistentVolumeClaimVolumeSource', { 1: { name: 'claimName', type: 'string' }, 2: { name: 'readOnly', type: 'bool' } }),
  },
  16: {
    name: 'downwardAPI',
    type: message('DownwardAPIVolumeSource', { 1: { name: 'items', type: DownwardAPIVolumeFile, repeated: true }, 2: { name: 'defaultMode', type: 'int32', keep: true } }),
  },
  19: {
    name: 'configMap',
    type: message('ConfigMapVolumeSource', {
      1: localRef,
      2: { name: 'items', type: KeyToPath, repeated: true },
      3: { name: 'defaultMode', type: 'int32', keep: true },
      4: { name: 'optional', type: 'bool', keep: true },
    }),
  },
  26: {
    name: 'projected',
    type: message('ProjectedVolumeSource', { 1: { name: 'sources', type: VolumeProjection, repeated: true }, 2: { name: 'defaultMode', type: 'int32', keep: true } }),
  },
  28: {
    name: 'csi',
    type: message('CSIVolumeSource', {
      1: { name: 'driver', type: 'string' },
      2: { name: 'readOnly', type: 'bool', keep: true },
      3: { name: 'fsType', type: 'string', keep: true },
      4: { name: 'volumeAttributes', type: 'string', map: 'string' },
      5: { name: 'nodePublishSecretRef', type: LocalObjectReference },
    }),
  },
  30: { name: 'image', type: message('ImageVolumeSource', { 1: { name: 'reference', type: 'string' }, 2: { name: 'pullPolicy', type: 'string' } }) },
})
const Volume = message('Volume', {
  1: { name: 'name', type: 'string' },
  2: { name: 'volumeSource', type: VolumeSource, inline: true },
})

const NodeSelectorRequirement = message('NodeSelectorRequirement', {
  1: { name: 'key', type: 'string' },
  2: { name: 'operator', type: 'string' },
  3: { name: 'values', type: 'string', repeated: true },
})
const NodeSelectorTerm = message('NodeSelectorTerm', {
  1: { name: 'matchExpressions', type: NodeSelectorRequirement, repeated: true },
  2: { name: 'matchFields', type: NodeSelectorRequirement, repeated: true },
})
const PodAffinityTerm = message('PodAffinityTerm', {
  1: { name: 'labelSelector', type: LabelSelector },
  2: { name: 'namespaces', type: 'string', repeated: true },
  3: { name: 'topologyKey', type: 'string' },
  4: { name: 'namespaceSelector', type: LabelSelector },
  5: { name: 'matchLabelKeys', type: 'string', repeated: true },
  6: { name: 'mismatchLabelKeys', type: 'string', repeated: true },
})
const podAffinity = (name: string) =>
  message(name, {
    1: { name: 'requiredDuringSchedulingIgnoredDuringExecution', type: PodAffinityTerm, repeated: true },
    2: {
      name: 'preferredDuringSchedulingIgnoredDuringExecution',
      type: message('WeightedPodAffinityTerm', { 1: { name: 'weight', type: 'int32', keep: true }, 2: { name: 'podAffinityTerm', type: PodAffinityTerm } }),
      repeated: true,
    },
  })
const Affinity = message('Affinity', {
  1: {
    name: 'nodeAffinity',
    type: message('NodeAffinity', {
      1: { name: 'requiredDuringSchedulingIgnoredDuringExecution', type: message('NodeSelector', { 1: { name: 'nodeSelectorTerms', type: NodeSelectorTerm, repeated: true } }) },
      2: {
        name: 'preferredDuringSchedulingIgnoredDuringExecution',
        type: message('PreferredSchedulingTerm', { 1: { name: 'weight', type: 'int32', keep: true }, 2: { name: 'preference', type: NodeSelectorTerm } }),
        repeated: true,
      },
    }),
  },
  2: { name: 'podAffinity', type: podAffinity('PodAffinity') },
  3: { name: 'podAntiAffinity', type: podAffinity('PodAntiAffinity') },
})
const Toleration = message('Toleration', {
  1: { name: 'key', type: 'string' },
  2: { name: 'operator', type: 'string' },
  3: { name: 'value', type: 'string' },
  4: { name: 'effect', type: 'string' },
  5: { name: 'tolerationSeconds', type: 'int64', keep: true },
})
const TopologySpreadConstraint = message('TopologySpreadConstraint', {
  1: { name: 'maxSkew', type: 'int32', keep: true },
  2: { name: 'topologyKey', type: 'string' },
  3: { name: 'whenUnsatisfiable', type: 'string' },
  4: { name: 'labelSelector', type: LabelSelector },
  5: { name: 'minDomains', type: 'int32', keep: true },
  6: { name: 'nodeAffinityPolicy', type: 'string', keep: true },
  7: { name: 'nodeTaintsPolicy', type: 'string', keep: true },
  8: { name: 'matchLabelKeys', type: 'string', repeated: true },
})
const PodDNSConfig = message('PodDNSConfig', {
  1: { name: 'nameservers', type: 'string', repeated: true },
  2: { name: 'searches', type: 'string', repeated: true },
  3: { name: 'options', type: message('PodDNSConfigOption', { 1: { name: 'name', type: 'string' }, 2: { name: 'value', type: 'string', keep: true } }), repeated: true },
})
const PodResourceClaim = message('PodResourceClaim', {
  1: { name: 'name', type: 'string' },
  3: { name: 'resourceClaimName', type: 'string', keep: true },
  4: { name: 'resourceClaimTemplateName', type: 'string', keep: true },
})

export const PodSpec = message('PodSpec', {
  1: { name: 'volumes', type: Volume, repeated: true },
  2: { name: 'containers', type: Container, repeated: true },
  3: { name: 'restartPolicy', type: 'string' },
  4: { name: 'terminationGracePeriodSeconds', type: 'int64', keep: true },
  5: { name: 'activeDeadlineSeconds', type: 'int64', keep: true },
  6: { name: 'dnsPolicy', type: 'string' },
  7: { name: 'nodeSelector', type: 'string', map: 'string' },
  8: { name: 'serviceAccountName', type: 'string' },
  9: { name: 'serviceAccount', type: 'string' },
  10: { name: 'nodeName', type: 'string' },
  11: { name: 'hostNetwork', type: 'bool' },
  12: { name: 'hostPID', type: 'bool' },
  13: { name: 'hostIPC', type: 'bool' },
  14: { name: 'securityContext', type: PodSecurityContext },
  15: { name: 'imagePullSecrets', type: LocalObjectReference, repeated: true },
  16: { name: 'hostname', type: 'string' },
  17: { name: 'subdomain', type: 'string' },
  18: { name: 'affinity', type: Affinity },
  19: { name: 'schedulerName', type: 'string' },
  20: { name: 'initContainers', type: Container, repeated: true },
  21: { name: 'automountServiceAccountToken', type: 'bool', keep: true },
  22: { name: 'tolerations', type: Toleration, repeated: true },
  23: { name: 'hostAliases', type: message('HostAlias', { 1: { name: 'ip', type: 'string' }, 2: { name: 'hostnames', type: 'string', repeated: true } }), repeated: true },
  24: { name: 'priorityClassName', type: 'string' },
  25: { name: 'priority', type: 'int32', keep: true },
  26: { name: 'dnsConfig', type: PodDNSConfig },
  27: { name: 'shareProcessNamespace', type: 'bool', keep: true },
  28: { name: 'readinessGates', type: message('PodReadinessGate', { 1: { name: 'conditionType', type: 'string' } }), repeated: true },
  29: { name: 'runtimeClassName', type: 'string', keep: true },
  30: { name: 'enableServiceLinks', type: 'bool', keep: true },
  31: { name: 'preemptionPolicy', type: 'string', keep: true },
  32: { name: 'overhead', type: 'quantity', map: 'quantity' },
  33: { name: 'topologySpreadConstraints', type: TopologySpreadConstraint, repeated: true },
  35: { name: 'setHostnameAsFQDN', type: 'bool', keep: true },
  36: { name: 'os', type: message('PodOS', { 1: { name: 'name', type: 'string' } }) },
  37: { name: 'hostUsers', type: 'bool', keep: true },
  38: { name: 'schedulingGates', type: message('PodSchedulingGate', { 1: { name: 'name', type: 'string' } }), repeated: true },
  39: { name: 'resourceClaims', type: PodResourceClaim, repeated: true },
  40: { name: 'resources', type: ResourceRequirements },
})

export const PodTemplateSpec = message('PodTemplateSpec', {
  1: { name: 'metadata', type: ObjectMeta },
  2: { name: 'spec', type: PodSpec },
})
