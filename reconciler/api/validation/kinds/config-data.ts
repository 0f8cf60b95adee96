/** ConfigMap and Secret: delegated to ../config-data.ts (content, size, Secret types, immutability). */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import {
  validateConfigMap as configMapContent,
  validateConfigMapUpdate,
  validateSecret as secretContent,
  validateSecretUpdate,
  type ConfigMapLike,
  type SecretLike,
} from '../config-data.js'

/** Validates a ConfigMap; `old` is the stored object on update. */
export function validateConfigMap(cm: KObject, old?: KObject): StatusCause[] {
  return old ? validateConfigMapUpdate(old as ConfigMapLike, cm as ConfigMapLike) : configMapContent(cm as ConfigMapLike)
}

/** Validates a Secret; `old` is the stored object on update. */
export function validateSecret(secret: KObject, old?: KObject): StatusCause[] {
  return old ? validateSecretUpdate(old as SecretLike, secret as SecretLike) : secretContent(secret as SecretLike)
}
