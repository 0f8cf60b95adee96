/** The meta.k8s.io and autoscaling/v1 schemas every group version document refers to. */
import type { OpenApiSchema } from './convert-schema.js'
import { componentRef } from './names.js'

const str = (description: string): OpenApiSchema => ({ description, type: 'string' })
const TYPE_META = {
  apiVersion: str('APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources'),
  kind: str('Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
}

/** Hand-written schemas of types capstan's schemas/ does not model, by short name. */
export const META_SCHEMAS: Record<string, OpenApiSchema> = {
  ListMeta: {
    description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}.',
    type: 'object',
    properties: {
      continue: str('continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available.'),
      remainingItemCount: { description: 'remainingItemCount is the number of subsequent items in the list which are not included in this list response.', type: 'integer', format: 'int64' },
      resourceVersion: str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed."),
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
    },
  },
  Patch: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
  Preconditions: {
    description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
    type: 'object',
    properties: { resourceVersion: str('Specifies the target ResourceVersion'), uid: str('Specifies the target UID.') },
  },
  DeleteOptions: {
    description: 'DeleteOptions may be provided when deleting an API object.',
    type: 'object',
    properties: {
      ...TYPE_META,
      dryRun: { description: 'When present, indicates that modifications should not be persisted.', type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic' },
      gracePeriodSeconds: { description: 'The duration in seconds before the object should be deleted.', type: 'integer', format: 'int64' },
      preconditions: { allOf: [{ $ref: componentRef('Preconditions') }], description: 'Must be fulfilled before a deletion is carried out.' },
      propagationPolicy: str("Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'DeleteOptions', version: 'v1' }],
  },
  StatusCause: {
    description: 'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    type: 'object',
    properties: { field: str('The field of the resource that has caused this error.'), message: str('A human-readable description of the cause of the error.'), reason: str('A machine-readable description of the cause of the error.') },
  },
  StatusDetails: {
    description: 'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
    type: 'object',
    properties: {
      causes: { description: 'The Causes array includes more details associated with the StatusReason failure.', type: 'array', items: { allOf: [{ $ref: componentRef('StatusCause') }], default: {} }, 'x-kubernetes-list-type': 'atomic' },
      group: str('The group attribute of the resource associated with the status StatusReason.'),
      kind: str('The kind attribute of the resource associated with the status StatusReason.'),
      name: str('The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).'),
      retryAfterSeconds: { description: 'If specified, the time in seconds before the operation should be retried.', type: 'integer', format: 'int32' },
      uid: str('UID of the resource.'),
    },
  },
  Status: {
    description: 'Status is a return value for calls that don\'t return other objects.',
    type: 'object',
    properties: {
      ...TYPE_META,
      code: { description: 'Suggested HTTP return code for this status, 0 if not set.', type: 'integer', format: 'int32' },
      details: { allOf: [{ $ref: componentRef('StatusDetails') }], description: 'Extended data associated with the reason.' },
      message: str('A human-readable description of the status of this operation.'),
      metadata: { allOf: [{ $ref: componentRef('ListMeta') }], default: {}, description: "Standard list metadata." },
      reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
      status: str('Status of the operation. One of: "Success" or "Failure".'),
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
  Scale: {
    description: 'Scale represents a scaling request for a resource.',
    type: 'object',
    properties: {
      ...TYPE_META,
      metadata: { allOf: [{ $ref: componentRef('ObjectMeta') }], default: {}, description: "Standard object metadata." },
      spec: { allOf: [{ $ref: componentRef('ScaleSpec') }], default: {}, description: 'spec defines the behavior of the scale.' },
      status: { allOf: [{ $ref: componentRef('ScaleStatus') }], default: {}, description: 'status is the current status of the scale.' },
    },
    'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
  },
  ScaleSpec: {
    description: 'ScaleSpec describes the attributes of a scale subresource.',
    type: 'object',
    properties: { replicas: { description: 'replicas is the desired number of instances for the scaled object.', type: 'integer', format: 'int32' } },
  },
  ScaleStatus: {
    description: 'ScaleStatus represents the current status of a scale subresource.',
    type: 'object',
    required: ['replicas'],
    properties: {
      replicas: { default: 0, description: 'replicas is the actual number of observed instances of the scaled object.', type: 'integer', format: 'int32' },
      selector: str('selector is the label query over pods that should match the replicas count.'),
    },
  },
}

/** The short names the meta schemas refer to, so a document includes them. */
export const META_REFS: Record<string, string[]> = {
  DeleteOptions: ['Preconditions'],
  Status: ['StatusDetails', 'ListMeta'],
  StatusDetails: ['StatusCause'],
  Scale: ['ObjectMeta', 'ScaleSpec', 'ScaleStatus'],
}
