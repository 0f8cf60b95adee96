/**
 * The few Kubernetes protobuf messages capstan decodes (field numbers from k8s.io/api's
 * generated.proto): what kubectl's typed commands send (ConfigMap, Secret, Namespace, DeleteOptions).
 */

/** A scalar or nested field of a message. */
export type FieldType = 'string' | 'bytes' | 'bool' | 'int64' | 'int32' | 'time' | Message

export interface FieldSpec {
  name: string
  type: FieldType
  repeated?: boolean
  /** A map<string, V> field (entries with key 1 and value 2). */
  map?: 'string' | 'bytes'
}

/** A message: its fields by number. */
export type Message = { [field: number]: FieldSpec }

const OwnerReference: Message = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
}

export const ObjectMeta: Message = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64' },
  11: { name: 'labels', type: 'string', map: 'string' },
  12: { name: 'annotations', type: 'string', map: 'string' },
  13: { name: 'ownerReferences', type: OwnerReference, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
}

/** Messages by Kind. */
export const MESSAGES: Record<string, Message> = {
  ConfigMap: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'data', type: 'string', map: 'string' },
    3: { name: 'binaryData', type: 'bytes', map: 'bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
  Secret: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'data', type: 'bytes', map: 'bytes' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'string', map: 'string' },
    5: { name: 'immutable', type: 'bool' },
  },
  DeleteOptions: {
    1: { name: 'gracePeriodSeconds', type: 'int64' },
    2: { name: 'preconditions', type: { 1: { name: 'uid', type: 'string' }, 2: { name: 'resourceVersion', type: 'string' } } },
    3: { name: 'orphanDependents', type: 'bool' },
    4: { name: 'propagationPolicy', type: 'string' },
    5: { name: 'dryRun', type: 'string', repeated: true },
  },
  Namespace: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'spec', type: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
  },
}
