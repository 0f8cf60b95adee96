/**
 * How capstan describes a Kubernetes protobuf message, and the apimachinery messages every kind
 * uses (meta/v1 ObjectMeta, LabelSelector, DeleteOptions). Field numbers are those of the
 * generated.proto files kubectl 1.32 carries; names and nesting are those of the JSON form.
 */

/**
 * What a field holds. Besides protobuf scalars: `time` (meta/v1 Time, RFC 3339 seconds),
 * `quantity` (resource.Quantity, its string), `intOrString` (intstr.IntOrString, a number or a
 * string), `fieldsV1` (meta/v1 FieldsV1, raw JSON), or a nested message.
 */
export type FieldType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'time' | 'quantity' | 'intOrString' | 'fieldsV1' | Message

export interface FieldSpec {
  name: string
  type: FieldType
  repeated?: boolean
  /** A map<string, V> field (entries with key 1 and value 2). */
  map?: 'string' | 'bytes' | 'quantity'
  /**
   * Keep a zero value (0, false; "" for strings) read from the wire: the Go field is a pointer, or a
   * number or bool without omitempty. Go writes every non-pointer field, so without `keep` the zero
   * values are left out, as JSON's omitempty would. (A non-pointer string without omitempty is
   * still left out when empty: validation reports it as required either way.)
   */
  keep?: boolean
  /** A Go struct embedded with `json:",inline"`: its fields are merged into the enclosing object. */
  inline?: boolean
  /** Read past as a whole: a status, which a create drops anyway. */
  ignore?: boolean
}

/** A message: its name (for errors) and its fields by number. */
export interface Message {
  name: string
  fields: { [field: number]: FieldSpec }
}

export const message = (name: string, fields: Message['fields']): Message => ({ name, fields })

/** A status message that capstan reads past without decoding (see FieldSpec.ignore). */
export const status = (name: string): FieldSpec => ({ name: 'status', type: message(name, {}), ignore: true })

const OwnerReference = message('OwnerReference', {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool', keep: true },
  7: { name: 'blockOwnerDeletion', type: 'bool', keep: true },
})

const ManagedFieldsEntry = message('ManagedFieldsEntry', {
  1: { name: 'manager', type: 'string' },
  2: { name: 'operation', type: 'string' },
  3: { name: 'apiVersion', type: 'string' },
  4: { name: 'time', type: 'time' },
  6: { name: 'fieldsType', type: 'string' },
  7: { name: 'fieldsV1', type: 'fieldsV1' },
  8: { name: 'subresource', type: 'string' },
})

export const ObjectMeta = message('ObjectMeta', {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  4: { name: 'selfLink', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64', keep: true },
  11: { name: 'labels', type: 'string', map: 'string' },
  12: { name: 'annotations', type: 'string', map: 'string' },
  13: { name: 'ownerReferences', type: OwnerReference, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
  17: { name: 'managedFields', type: ManagedFieldsEntry, repeated: true },
})

const LabelSelectorRequirement = message('LabelSelectorRequirement', {
  1: { name: 'key', type: 'string' },
  2: { name: 'operator', type: 'string' },
  3: { name: 'values', type: 'string', repeated: true },
})

export const LabelSelector = message('LabelSelector', {
  1: { name: 'matchLabels', type: 'string', map: 'string' },
  2: { name: 'matchExpressions', type: LabelSelectorRequirement, repeated: true },
})

export const DeleteOptions = message('DeleteOptions', {
  1: { name: 'gracePeriodSeconds', type: 'int64', keep: true },
  2: { name: 'preconditions', type: message('Preconditions', { 1: { name: 'uid', type: 'string' }, 2: { name: 'resourceVersion', type: 'string' } }) },
  3: { name: 'orphanDependents', type: 'bool', keep: true },
  4: { name: 'propagationPolicy', type: 'string' },
  5: { name: 'dryRun', type: 'string', repeated: true },
  6: { name: 'ignoreStoreReadErrorWithClusterBreakingPotential', type: 'bool', keep: true },
})
