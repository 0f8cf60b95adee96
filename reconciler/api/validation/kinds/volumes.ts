/** Pod `volumes` (ValidateVolumes, validateVolumeSource) and the path rules their items share. */
import type { StatusCause } from '../../errors.js'
import { isDNS1123Label } from '../names.js'
import { arr, child, duplicate, forbidden, index, invalid, num, obj, required, str, type Obj } from './field.js'
import { isQuantity } from './quantity.js'

/** The volume source fields, in the order Kubernetes counts them. */
export const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'configMap',
  'storageos',
  'projected',
  'csi',
  'ephemeral',
  'image',
] as const

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive'

/** `validatePathNoBacksteps`: no `..` element. */
export function validatePathNoBacksteps(target: string, path: string): StatusCause[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : []
}

/** `validateLocalDescendingPath`: relative and without `..` elements. */
export function validateLocalDescendingPath(target: string, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'))
  errs.push(...validatePathNoBacksteps(target, path))
  return errs
}

/** `ValidateLocalNonReservedPath`: a descending path that does not start with `..`. */
export function validateLocalNonReservedPath(target: string, path: string): StatusCause[] {
  const errs = validateLocalDescendingPath(target, path)
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"))
  return errs
}

function validateMode(mode: unknown, path: string): StatusCause[] {
  const m = num(mode)
  return m !== undefined && (m > 0o777 || m < 0) ? [invalid(path, m, FILE_MODE_ERROR)] : []
}

function validateKeyToPath(item: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const p = str(item.path)
  if (!str(item.key)) errs.push(required(child(path, 'key')))
  if (!p) errs.push(required(child(path, 'path')))
  errs.push(...validateLocalNonReservedPath(p, child(path, 'path')))
  errs.push(...validateMode(item.mode, child(path, 'mode')))
  return errs
}

function validateProjectedItems(source: Obj, path: string, nameField: 'name' | 'secretName'): StatusCause[] {
  const errs: StatusCause[] = []
  if (!str(source[nameField])) errs.push(required(child(path, nameField)))
  errs.push(...validateMode(source.defaultMode, child(path, 'defaultMode')))
  arr(source.items).forEach((it, i) => errs.push(...validateKeyToPath(obj(it) ?? {}, index(child(path, 'items'), i))))
  return errs
}

function validateSource(name: string, source: Obj, path: string): StatusCause[] {
  switch (name) {
    case 'configMap':
      return validateProjectedItems(source, path, 'name')
    case 'secret':
      return validateProjectedItems(source, path, 'secretName')
    case 'hostPath': {
      const p = str(source.path)
      return p ? validatePathNoBacksteps(p, child(path, 'path')) : [required(child(path, 'path'))]
    }
    case 'persistentVolumeClaim':
      return str(source.claimName) ? [] : [required(child(path, 'claimName'))]
    case 'emptyDir':
      return source.sizeLimit !== undefined && !isQuantity(source.sizeLimit)
        ? [forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity')]
        : []
    case 'downwardAPI':
    case 'projected':
      return validateMode(source.defaultMode, child(path, 'defaultMode'))
    default:
      return []
  }
}

/** One volume's source: exactly one source field, each checked as Kubernetes checks it. */
function validateVolumeSource(v: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  let count = 0
  for (const name of VOLUME_SOURCES) {
    const source = obj(v[name])
    if (!source) continue
    if (count > 0) {
      errs.push(forbidden(child(path, name), 'may not specify more than 1 volume type'))
      continue
    }
    count++
    errs.push(...validateSource(name, source, child(path, name)))
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'))
  return errs
}

/** Validates `volumes`; returns the causes and the names of the valid volumes (for volumeMounts). */
export function validateVolumes(volumes: unknown, path: string): { errs: StatusCause[]; names: Set<string> } {
  const errs: StatusCause[] = []
  const names = new Set<string>()
  arr(volumes).forEach((raw, i) => {
    const v = obj(raw) ?? {}
    const p = index(path, i)
    const name = str(v.name)
    const el = validateVolumeSource(v, p)
    if (!name) el.push(required(child(p, 'name')))
    else for (const msg of isDNS1123Label(name)) el.push(invalid(child(p, 'name'), name, msg))
    if (names.has(name)) el.push(duplicate(child(p, 'name'), name))
    if (el.length === 0) names.add(name)
    else errs.push(...el)
  })
  return { errs, names }
}
