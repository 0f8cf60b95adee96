/**
 * ConfigMap and Secret content validation, as pkg/apis/core/validation (Kubernetes 1.32) does it:
 * keys, total size, Secret type rules, and the `immutable` rules on update. Metadata is validated
 * separately by validateObjectMeta (upstream runs it first, so its causes come first).
 */
import { ApiError, badRequest, type StatusCause } from '../errors.js'
import { forbidden, invalid, keyPath, required, tooLong } from './field-error.js'
import { byteLength } from './go-format.js'
import { decodeGoBase64 } from './go-base64.js'
import { goJsonObjectError } from './go-json-check.js'
import { isConfigMapKey } from './names.js'

/** Largest total of ConfigMap or Secret data, in bytes (1 MiB). */
export const MAX_SECRET_SIZE = 1024 * 1024

/** The fields of a ConfigMap this module reads. `binaryData` values are base64, as on the wire. */
export interface ConfigMapLike {
  metadata?: { name?: string }
  data?: Record<string, string> | null
  binaryData?: Record<string, string> | null
  immutable?: boolean | null
}

/** The fields of a Secret this module reads. `data` values are base64, as on the wire. */
export interface SecretLike {
  metadata?: { name?: string; annotations?: Record<string, string> }
  type?: string
  data?: Record<string, string> | null
  stringData?: Record<string, string> | null
  immutable?: boolean | null
}

/** The Secret types Kubernetes gives rules to. */
export const SecretType = {
  Opaque: 'Opaque',
  ServiceAccountToken: 'kubernetes.io/service-account-token',
  Dockercfg: 'kubernetes.io/dockercfg',
  DockerConfigJson: 'kubernetes.io/dockerconfigjson',
  BasicAuth: 'kubernetes.io/basic-auth',
  SSHAuth: 'kubernetes.io/ssh-auth',
  TLS: 'kubernetes.io/tls',
  BootstrapToken: 'bootstrap.kubernetes.io/token',
} as const

const IMMUTABLE_MSG = 'field is immutable when `immutable` is set'
const REDACTED = '<secret contents redacted>'
const keysOf = (m: Record<string, string> | null | undefined): string[] => Object.keys(m ?? {}).sort()

/** Decoded byte length of a base64 wire value; undefined when it is not valid base64. */
function decodedLength(value: string): number | undefined {
  const r = decodeGoBase64(value)
  return r.ok ? r.bytes.length : undefined
}

/**
 * The 400 kube-apiserver answers when a `[]byte` field is not base64 (the JSON decoder fails before
 * validation runs): `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input
 * byte 4`. Checks Secret `data` and ConfigMap `binaryData`, in document order.
 */
export function base64DecodeError(obj: { kind?: string; apiVersion?: string } & Record<string, unknown>): ApiError | undefined {
  const kind = obj.kind ?? ''
  const field = kind === 'Secret' ? 'data' : kind === 'ConfigMap' ? 'binaryData' : undefined
  if (!field) return undefined
  const map = obj[field]
  if (!map || typeof map !== 'object') return undefined
  for (const value of Object.values(map as Record<string, unknown>)) {
    if (typeof value !== 'string') continue
    const r = decodeGoBase64(value)
    if (!r.ok) {
      const version = (obj.apiVersion ?? 'v1').split('/').pop()
      return badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${r.message}`)
    }
  }
  return undefined
}

/** ConfigMap content: valid keys, no key in both data and binaryData, at most 1 MiB in all. */
export function validateConfigMap(cm: ConfigMapLike): StatusCause[] {
  const errs: StatusCause[] = []
  let total = 0
  for (const key of keysOf(cm.data)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(keyPath('data', key), key, msg))
    if (cm.binaryData && Object.hasOwn(cm.binaryData, key)) {
      errs.push(invalid(keyPath('data', key), key, 'duplicate of key present in binaryData'))
    }
    total += byteLength(cm.data![key] ?? '')
  }
  for (const key of keysOf(cm.binaryData)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(keyPath('binaryData', key), key, msg))
    const value = cm.binaryData![key] ?? ''
    const n = decodedLength(value)
    if (n === undefined) errs.push(invalid(keyPath('binaryData', key), value, decodeMessage(value)))
    total += n ?? 0
  }
  // Upstream reports the size against the whole object: an empty path, which Go prints as `[]`.
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('[]', MAX_SECRET_SIZE))
  return errs
}

function decodeMessage(value: string): string {
  const r = decodeGoBase64(value)
  return r.ok ? '' : r.message
}

const sameStringMap = (a: Record<string, string> | null | undefined, b: Record<string, string> | null | undefined): boolean => {
  const ak = keysOf(a)
  const bk = keysOf(b)
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && a![k] === b![k])
}

/** A ConfigMap update: once `immutable` is true it stays so and data cannot change; then the new content's rules. */
export function validateConfigMapUpdate(oldCm: ConfigMapLike, newCm: ConfigMapLike): StatusCause[] {
  const errs: StatusCause[] = []
  if (oldCm.immutable === true) {
    if (newCm.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_MSG))
    if (!sameStringMap(oldCm.data, newCm.data)) errs.push(forbidden('data', IMMUTABLE_MSG))
    if (!sameBytesMap(oldCm.binaryData, newCm.binaryData)) errs.push(forbidden('binaryData', IMMUTABLE_MSG))
  }
  errs.push(...validateConfigMap(newCm))
  return errs
}

/** Base64 maps compared by their decoded bytes (two encodings of the same bytes are equal). */
function sameBytesMap(a: Record<string, string> | null | undefined, b: Record<string, string> | null | undefined): boolean {
  const ak = keysOf(a)
  const bk = keysOf(b)
  if (ak.length !== bk.length) return false
  return ak.every((k, i) => {
    if (k !== bk[i]) return false
    const x = decodeGoBase64(a![k])
    const y = decodeGoBase64(b![k])
    return x.ok && y.ok ? x.bytes.equals(y.bytes) : a![k] === b![k]
  })
}

/**
 * `stringData` folded into `data` as the v1 → internal conversion does: each value base64-encoded,
 * overwriting a `data` entry of the same key; `stringData` itself removed. Returns a new object.
 */
export function mergeStringData<T extends SecretLike>(secret: T): T {
  const { stringData, ...rest } = secret
  if (!stringData || Object.keys(stringData).length === 0) {
    return (stringData === undefined ? secret : (rest as T))
  }
  const data: Record<string, string> = { ...(secret.data ?? {}) }
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64')
  return { ...rest, data } as T
}

/** Secret content: valid keys, base64 values, at most 1 MiB, and the rules of its type. */
export function validateSecret(input: SecretLike): StatusCause[] {
  const secret = mergeStringData(input)
  const data = secret.data ?? {}
  const errs: StatusCause[] = []
  const decoded = new Map<string, Buffer>()
  let total = 0
  for (const key of keysOf(data)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(keyPath('data', key), key, msg))
    const r = decodeGoBase64(data[key] ?? '')
    if (r.ok) {
      decoded.set(key, r.bytes)
      total += r.bytes.length
    } else {
      // Upstream never gets here (decoding fails first, see base64DecodeError); reported for direct callers.
      errs.push(invalid(keyPath('data', key), REDACTED, r.message))
    }
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE))

  const has = (k: string): boolean => Object.hasOwn(data, k)
  switch (secret.type ?? '') {
    case SecretType.ServiceAccountToken:
      if (!secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required(keyPath('metadata.annotations', 'kubernetes.io/service-account.name')))
      }
      break
    case SecretType.Dockercfg:
    case SecretType.DockerConfigJson: {
      const key = secret.type === SecretType.Dockercfg ? '.dockercfg' : '.dockerconfigjson'
      if (!has(key)) {
        errs.push(required(keyPath('data', key)))
        break
      }
      const bytes = decoded.get(key)
      const jsonErr = bytes ? goJsonObjectError(bytes.toString('utf8')) : undefined
      if (jsonErr) errs.push(invalid(keyPath('data', key), REDACTED, jsonErr))
      break
    }
    case SecretType.BasicAuth:
      // Either may be empty, but one of the two keys must be present.
      if (!has('username') && !has('password')) {
        errs.push(required(keyPath('data', 'username')), required(keyPath('data', 'password')))
      }
      break
    case SecretType.SSHAuth:
      if (!decoded.get('ssh-privatekey')?.length) errs.push(required(keyPath('data', 'ssh-privatekey')))
      break
    case SecretType.TLS:
      if (!has('tls.crt')) errs.push(required(keyPath('data', 'tls.crt')))
      if (!has('tls.key')) errs.push(required(keyPath('data', 'tls.key')))
      break
    default:
      break
  }
  return errs
}

/**
 * A Secret update: the type cannot change (an absent type is `Opaque`, its default); once `immutable`
 * is true it stays so and data cannot change; then the new content's rules.
 */
export function validateSecretUpdate(oldSecret: SecretLike, newSecret: SecretLike): StatusCause[] {
  const oldS = mergeStringData(oldSecret)
  const newS = mergeStringData(newSecret)
  const errs: StatusCause[] = []
  const oldType = oldS.type || SecretType.Opaque
  const newType = newS.type || SecretType.Opaque
  if (oldType !== newType) errs.push(invalid('type', newType, 'field is immutable'))
  if (oldS.immutable === true) {
    if (newS.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_MSG))
    if (!sameBytesMap(oldS.data, newS.data)) errs.push(forbidden('data', IMMUTABLE_MSG))
  }
  errs.push(...validateSecret(newS))
  return errs
}
