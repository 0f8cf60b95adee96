/**
 * The Kubernetes protobuf messages capstan decodes, by the kind (and API version) of the
 * runtime.Unknown envelope: what kubectl's typed commands and typed clients send.
 * Status messages (Deployment, Service, Ingress, Pod, Namespace, HorizontalPodAutoscaler) are
 * read past as a whole: a create drops the status anyway.
 */
import { HorizontalPodAutoscalerV1, HorizontalPodAutoscalerV2 } from './messages-autoscaling.js'
import { Deployment } from './messages-apps.js'
import { ConfigMap, Namespace, Pod, Secret, Service } from './messages-core.js'
import { DeleteOptions, type Message } from './messages-meta.js'
import { Ingress } from './messages-networking.js'

export type { FieldSpec, FieldType, Message } from './messages-meta.js'
export { ObjectMeta } from './messages-meta.js'

/** Messages by "apiVersion Kind". */
const BY_VERSION: Record<string, Message> = {
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Namespace': Namespace,
  'v1 Service': Service,
  'v1 Pod': Pod,
  'apps/v1 Deployment': Deployment,
  'networking.k8s.io/v1 Ingress': Ingress,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscalerV2,
  'autoscaling/v1 HorizontalPodAutoscaler': HorizontalPodAutoscalerV1,
}

/** Kinds decoded whatever the envelope's apiVersion says (as capstan always has). */
const BY_KIND: Record<string, Message> = { ConfigMap, Secret, Namespace, DeleteOptions }

/** The message for an envelope's apiVersion and kind, if capstan decodes it. */
export function messageFor(apiVersion: string, kind: string): Message | undefined {
  return BY_VERSION[`${apiVersion} ${kind}`] ?? BY_KIND[kind]
}

/** Every message capstan decodes, by "apiVersion Kind" (DeleteOptions under its kind). */
export const MESSAGES: Record<string, Message> = { ...BY_VERSION, DeleteOptions }
