/**
 * Per-kind semantic validation, the checks kube-apiserver runs after defaulting
 * (pkg/apis/{core,apps,networking,autoscaling}/validation, Kubernetes 1.32), plus capstan's own kinds.
 * Structure (types, required fields, unknown fields) is JSON Schema's job and metadata is
 * validateObjectMeta's; this module looks only at what those cannot express.
 *
 * Convention for every StatusCause returned:
 * - `reason` is the field.ErrorType (FieldValueRequired, FieldValueInvalid, FieldValueNotSupported,
 *   FieldValueDuplicate, FieldValueForbidden, FieldValueNotFound, FieldValueTooLong);
 * - `field` is the path as field.Path prints it (`spec.template.spec.containers[0].image`,
 *   `resources.limits[cpu]`);
 * - `message` is the error *body* exactly as field.Error.ErrorBody() renders it, type word included:
 *   `Invalid value: 0: may not be 0 when \`maxSurge\` is 0`, `Unsupported value: "OnFailure":
 *   supported values: "Always"`, `Required value`. A caller renders one cause as `field: message`
 *   (what errors.ts `invalid()` does), which reads byte for byte like kube-apiserver's text.
 * Causes come in Kubernetes' order; values Go prints with `%#v` (maps, selectors, structs) are shown
 * the way Go prints them.
 */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { validateConfigMap, validateSecret } from './config-data.js'
import { validateDeployment } from './deployment.js'
import { validateEndpoints } from './endpoints.js'
import { validateEvent } from './event.js'
import { validateHpa } from './hpa.js'
import { validateIngress } from './ingress.js'
import { validateNamespace } from './namespace.js'
import { validateNodePool } from './node-pool.js'
import { validateNode } from './node.js'
import { validatePod } from './pod.js'
import { validateReplicaSet } from './replica-set.js'
import { validateService } from './service.js'
import { validateSyncRecord } from './sync-record.js'

export { parseQuantity, isQuantity, compareQuantities, QUANTITY_FORMAT_ERROR } from './quantity.js'
export { selectorMatches, selectorIsEmpty, validateLabelSelector } from './label-selector.js'
export { validatePodSpec, validatePodTemplateSpec } from './pod-spec.js'
export { isEnvVarName } from './env.js'
export { validateStatusUpdate } from './status.js'

type KindValidator = (obj: KObject, old?: KObject) => StatusCause[]

const byKind: Record<string, KindValidator> = {
  Pod: validatePod,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  Service: validateService,
  Endpoints: validateEndpoints,
  Ingress: validateIngress,
  HorizontalPodAutoscaler: validateHpa,
  Namespace: validateNamespace,
  Node: validateNode,
  Event: validateEvent,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  NodePool: validateNodePool,
  SyncRecord: validateSyncRecord,
}

/** The kind's semantic problems with `obj` (already defaulted); `old` is the stored object on update. */
export function validateKind(obj: KObject, old?: KObject): StatusCause[] {
  const validate = byKind[obj.kind]
  return validate ? validate(obj, old) : []
}

/** The kinds validateKind knows. */
export const VALIDATED_KINDS: readonly string[] = Object.keys(byKind)
