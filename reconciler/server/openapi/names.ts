/** The official OpenAPI names of capstan's schema definitions (`PodSpec` → `io.k8s.api.core.v1.PodSpec`). */

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1'
const packages: Record<string, string[]> = {
  [META]: ['Condition', 'FieldsV1', 'LabelSelector', 'LabelSelectorRequirement', 'ListMeta', 'ManagedFieldsEntry', 'MicroTime', 'ObjectMeta', 'OwnerReference', 'Time', 'Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions', 'Patch', 'WatchEvent'],
  'io.k8s.apimachinery.pkg.api.resource': ['Quantity'],
  'io.k8s.apimachinery.pkg.util.intstr': ['IntOrString'],
  'io.k8s.apimachinery.pkg.runtime': ['RawExtension'],
  'io.k8s.api.apps.v1': ['Deployment', 'DeploymentList', 'DeploymentCondition', 'DeploymentSpec', 'DeploymentStatus', 'DeploymentStrategy', 'ReplicaSet', 'ReplicaSetList', 'ReplicaSetCondition', 'ReplicaSetSpec', 'ReplicaSetStatus', 'RollingUpdateDeployment'],
  'io.k8s.api.autoscaling.v1': ['Scale', 'ScaleSpec', 'ScaleStatus'],
  'io.k8s.api.autoscaling.v2': ['HorizontalPodAutoscaler', 'HorizontalPodAutoscalerList', 'CrossVersionObjectReference', 'HorizontalPodAutoscalerSpec', 'HorizontalPodAutoscalerStatus', 'ContainerResourceMetricSource', 'ContainerResourceMetricStatus', 'ExternalMetricSource', 'ExternalMetricStatus', 'HPAScalingPolicy', 'HPAScalingRules', 'HorizontalPodAutoscalerBehavior', 'HorizontalPodAutoscalerCondition', 'MetricIdentifier', 'MetricSpec', 'MetricStatus', 'MetricTarget', 'MetricValueStatus', 'ObjectMetricSource', 'ObjectMetricStatus', 'PodsMetricSource', 'PodsMetricStatus', 'ResourceMetricSource', 'ResourceMetricStatus'],
  'io.k8s.api.networking.v1': ['Ingress', 'IngressList', 'HTTPIngressPath', 'HTTPIngressRuleValue', 'IngressBackend', 'IngressLoadBalancerIngress', 'IngressLoadBalancerStatus', 'IngressPortStatus', 'IngressRule', 'IngressServiceBackend', 'IngressSpec', 'IngressStatus', 'IngressTLS', 'ServiceBackendPort'],
}
const byShort = new Map<string, string>()
for (const [pkg, names] of Object.entries(packages)) for (const n of names) byShort.set(n, `${pkg}.${n}`)

/** capstan's own kinds live under a reversed-domain package, as a CRD's would. */
const CAPSTAN = 'dev.capstan.v1alpha1'
const capstanPrefixes = ['NodePool', 'SyncRecord']

/** The official component name of a definition or kind; core/v1 unless listed elsewhere. */
export function officialName(short: string): string {
  const known = byShort.get(short)
  if (known) return known
  if (capstanPrefixes.some((p) => short.startsWith(p))) return `${CAPSTAN}.${short}`
  return `io.k8s.api.core.v1.${short}`
}

/** The `#/components/schemas/…` reference for a definition. */
export function componentRef(short: string): string {
  return `#/components/schemas/${officialName(short)}`
}
