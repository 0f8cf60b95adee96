/** `capstan describe`: pick the describer for an object's kind, as kubectl's describer map does. */
import { describeConfigMap, describeNamespace, describeSecret } from './describe-config.js'
import { describeNodePool, describeSyncRecord } from './describe-capstan.js'
import { describeDeployment, type Deployment } from './describe-deployment.js'
import { describeGeneric } from './describe-generic.js'
import { describeHPA, type HPA } from './describe-hpa.js'
import { describeIngress, type Ingress } from './describe-ingress.js'
import { describeNode, type Node } from './describe-node.js'
import { describePod, type Pod } from './describe-pod.js'
import { describeReplicaSet, type ReplicaSet } from './describe-replicaset.js'
import { describeEndpoints, describeService, type Service } from './describe-service.js'
import type { DescribeContext, DescribeOptions, KubeObject } from './types.js'

/** The group of an apiVersion ("apps/v1" → "apps", "v1" → ""). */
const groupOf = (apiVersion: string | undefined): string => (apiVersion && apiVersion.includes('/') ? apiVersion.split('/')[0] : '')

/** Describers by "group/Kind", the kinds capstan serves (plus the legacy groups it converts from). */
const DESCRIBERS: Record<string, (obj: KubeObject, ctx: DescribeContext) => string> = {
  '/Pod': (o, c) => describePod(o as Pod, c),
  '/Service': (o, c) => describeService(o as Service, c),
  '/Endpoints': describeEndpoints,
  '/ConfigMap': describeConfigMap,
  '/Secret': (o) => describeSecret(o),
  '/Node': (o, c) => describeNode(o as Node, c),
  '/Namespace': describeNamespace,
  'apps/Deployment': (o, c) => describeDeployment(o as Deployment, c),
  'extensions/Deployment': (o, c) => describeDeployment(o as Deployment, c),
  'apps/ReplicaSet': (o, c) => describeReplicaSet(o as ReplicaSet, c),
  'extensions/ReplicaSet': (o, c) => describeReplicaSet(o as ReplicaSet, c),
  'autoscaling/HorizontalPodAutoscaler': (o, c) => describeHPA(o as HPA, c),
  'networking.k8s.io/Ingress': (o, c) => describeIngress(o as Ingress, c),
  'extensions/Ingress': (o, c) => describeIngress(o as Ingress, c),
  'capstan.dev/NodePool': describeNodePool,
  'capstan.dev/SyncRecord': describeSyncRecord,
}

/**
 * The `kubectl describe` text of an object: the kind's own layout, or the generic one. Events are
 * searched for the ones about the object; `related` gives what kubectl would fetch besides.
 */
export function describeObject(obj: KubeObject, options: DescribeOptions): string {
  const ctx: DescribeContext = {
    now: options.now,
    events: options.events,
    related: options.related ?? {},
    timeZone: options.timeZone ?? 'UTC',
  }
  const describer = DESCRIBERS[`${groupOf(obj.apiVersion)}/${obj.kind ?? ''}`] ?? describeGeneric
  return describer(obj, ctx)
}
