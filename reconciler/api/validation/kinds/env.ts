/** Container `env` and `envFrom` (ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom). */
import type { StatusCause } from '../../errors.js'
import { isConfigMapKey, isQualifiedName, regexError, validateName } from '../names.js'
import { arr, child, index, invalid, notSupported, obj, required, str, type Obj } from './field.js'

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*'
const envVarNameRe = new RegExp(`^(?:${envVarNameFmt})$`)
const envVarNameErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"

/**
 * `IsEnvVarName`, the strict rule. (Kubernetes 1.32 relaxes it to "printable ASCII but `=`" behind the
 * RelaxedEnvironmentVariableValidation gate; capstan keeps the strict rule.)
 */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = []
  if (!envVarNameRe.test(value)) errs.push(regexError(envVarNameErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'))
  if (value === '.') errs.push("must not be '.'")
  else if (value === '..') errs.push("must not be '..'")
  else if (value.startsWith('..')) errs.push("must not start with '..'")
  return errs
}

const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]
/** Paths ConvertDownwardAPIFieldLabel knows for v1 pods (some are valid only for volumes or not at all). */
const convertibleFieldPaths = new Set([
  ...envFieldPaths,
  'metadata.annotations',
  'metadata.labels',
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
])
const resourceFieldPaths = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
]

function validateFieldRef(ref: Obj, path: string): StatusCause[] {
  const apiVersion = str(ref.apiVersion)
  const fieldPath = str(ref.fieldPath)
  if (!apiVersion) return [required(child(path, 'apiVersion'))]
  if (!fieldPath) return [required(child(path, 'fieldPath'))]
  if (apiVersion !== 'v1') {
    return [invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: unsupported pod version: ${apiVersion}`)]
  }
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath)
  if (sub) {
    const key = sub[1] === 'metadata.annotations' ? sub[2].toLowerCase() : sub[2]
    return isQualifiedName(key).map((msg) => invalid(path, key, msg))
  }
  if (!convertibleFieldPaths.has(fieldPath)) {
    return [invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`)]
  }
  if (!envFieldPaths.includes(fieldPath)) return [notSupported(child(path, 'fieldPath'), fieldPath, envFieldPaths)]
  return []
}

function validateResourceFieldRef(ref: Obj, path: string): StatusCause[] {
  const resource = str(ref.resource)
  if (!resource) return [required(child(path, 'resource'))]
  if (!resourceFieldPaths.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) {
    return [notSupported(child(path, 'resource'), resource, resourceFieldPaths)]
  }
  return []
}

function validateKeySelector(ref: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const name = str(ref.name)
  for (const msg of validateName('subdomain', name, false)) errs.push(invalid(child(path, 'name'), name, msg))
  const key = str(ref.key)
  if (!key) errs.push(required(child(path, 'key')))
  else for (const msg of isConfigMapKey(key)) errs.push(invalid(child(path, 'key'), key, msg))
  return errs
}

function validateValueFrom(ev: Obj, path: string): StatusCause[] {
  const from = obj(ev.valueFrom)
  if (!from) return []
  const errs: StatusCause[] = []
  let sources = 0
  const fieldRef = obj(from.fieldRef)
  if (fieldRef) {
    sources++
    errs.push(...validateFieldRef(fieldRef, child(path, 'fieldRef')))
  }
  const resourceFieldRef = obj(from.resourceFieldRef)
  if (resourceFieldRef) {
    sources++
    errs.push(...validateResourceFieldRef(resourceFieldRef, child(path, 'resourceFieldRef')))
  }
  const cm = obj(from.configMapKeyRef)
  if (cm) {
    sources++
    errs.push(...validateKeySelector(cm, child(path, 'configMapKeyRef')))
  }
  const secret = obj(from.secretKeyRef)
  if (secret) {
    sources++
    errs.push(...validateKeySelector(secret, child(path, 'secretKeyRef')))
  }
  if (sources === 0) {
    errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'))
  } else if (str(ev.value) !== '') {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'))
  } else if (sources > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'))
  }
  return errs
}

/** `env`: names required and valid; `valueFrom` has exactly one source and no `value` beside it. */
export function validateEnv(env: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  arr(env).forEach((e, i) => {
    const ev = obj(e) ?? {}
    const p = index(path, i)
    const name = str(ev.name)
    if (!name) errs.push(required(child(p, 'name')))
    else for (const msg of isEnvVarName(name)) errs.push(invalid(child(p, 'name'), name, msg))
    errs.push(...validateValueFrom(ev, child(p, 'valueFrom')))
  })
  return errs
}

/** `envFrom`: an optional valid prefix and exactly one of configMapRef / secretRef with a name. */
export function validateEnvFrom(envFrom: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  arr(envFrom).forEach((e, i) => {
    const ev = obj(e) ?? {}
    const p = index(path, i)
    const prefix = str(ev.prefix)
    if (prefix) for (const msg of isEnvVarName(prefix)) errs.push(invalid(child(p, 'prefix'), prefix, msg))
    let sources = 0
    for (const source of ['configMapRef', 'secretRef'] as const) {
      const ref = obj(ev[source])
      if (!ref) continue
      sources++
      const name = str(ref.name)
      const np = child(p, source, 'name')
      if (!name) errs.push(required(np))
      else for (const msg of validateName('subdomain', name, true)) errs.push(invalid(np, name, msg))
    }
    if (sources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'))
    else if (sources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'))
  })
  return errs
}
