/**
 * ObjectMeta validation on create, as apimachinery's ValidateObjectMeta plus the core API's finalizer
 * check (pkg/apis/core/validation.ValidateObjectMeta) in Kubernetes 1.32.
 */
import type { StatusCause } from '../errors.js'
import { sameDefinedJson, type ManagedFieldsEntry, type ObjectMeta, type OwnerReference } from '../object.js'
import { childPath, invalid, forbidden, required, tooLong } from './field-error.js'
import { byteLength, goQuote } from './go-format.js'
import { isQualifiedName, isValidLabelValue, validateName, type NameRule } from './names.js'

/** Total bytes of annotation keys and values (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

export interface ObjectMetaOptions {
  /** The kind is namespaced: namespace required; otherwise it must be empty. */
  namespaced: boolean
  /** The rule metadata.name follows. */
  nameValidator: NameRule
  /** Path of the metadata (default `metadata`). */
  fieldPath?: string
  /**
   * Apply the built-in API's finalizer rule (a finalizer without `/` must be a standard one). True for
   * built-in kinds; custom resources (capstan.dev) skip it as kube-apiserver does for CRDs.
   */
  builtinFinalizers?: boolean
  /**
   * On update, the stored metadata: a field left exactly as stored passed these same rules when it
   * was written, and is not checked again (kube-apiserver's ratcheting of unchanged fields).
   */
  old?: ObjectMeta
}

/** Whether `field` is what the stored metadata holds (so it was validated when stored). */
function unchanged(m: ObjectMeta, old: ObjectMeta | undefined, field: keyof ObjectMeta): boolean {
  if (!old) return false
  const a = m[field]
  const b = old[field]
  return a === b || (a !== undefined && b !== undefined && sameDefinedJson(a, b))
}

/** Paths of the metadata fields checked on every write, for the usual `metadata` (built once, not per write). */
const METADATA_PATHS = {
  labels: 'metadata.labels',
  annotations: 'metadata.annotations',
  ownerReferences: 'metadata.ownerReferences',
  finalizers: 'metadata.finalizers',
  managedFields: 'metadata.managedFields',
}

/** The causes, in Kubernetes' order, that make `meta` invalid for a new object. */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions): StatusCause[] {
  const { namespaced, nameValidator, fieldPath = 'metadata', builtinFinalizers = true, old } = opts
  const m: ObjectMeta = meta ?? {}
  const p = (child: string): string => childPath(fieldPath, child)
  const paths = fieldPath === 'metadata' ? METADATA_PATHS : undefined
  const errs: StatusCause[] = []

  if (m.generateName && !unchanged(m, old, 'generateName')) {
    for (const msg of validateName(nameValidator, m.generateName, true)) errs.push(invalid(p('generateName'), m.generateName, msg))
  }
  if (!m.name) errs.push(required(p('name'), 'name or generateName is required'))
  else if (!unchanged(m, old, 'name')) for (const msg of validateName(nameValidator, m.name, false)) errs.push(invalid(p('name'), m.name, msg))

  if (namespaced) {
    if (!m.namespace) errs.push(required(p('namespace')))
    else if (!unchanged(m, old, 'namespace')) for (const msg of validateName('label', m.namespace, false)) errs.push(invalid(p('namespace'), m.namespace, msg))
  } else if (m.namespace) {
    errs.push(forbidden(p('namespace'), 'not allowed on this type'))
  }

  if (typeof m.generation === 'number' && m.generation < 0) {
    errs.push(invalid(p('generation'), m.generation, 'must be greater than or equal to 0'))
  }
  if (!unchanged(m, old, 'labels')) append(errs, validateLabels(m.labels, paths?.labels ?? p('labels')))
  if (!unchanged(m, old, 'annotations')) append(errs, validateAnnotations(m.annotations, paths?.annotations ?? p('annotations')))
  if (!unchanged(m, old, 'ownerReferences')) append(errs, validateOwnerReferences(m.ownerReferences, paths?.ownerReferences ?? p('ownerReferences')))
  const finalizersSame = unchanged(m, old, 'finalizers')
  if (!finalizersSame) append(errs, validateFinalizers(m.finalizers, paths?.finalizers ?? p('finalizers')))
  append(errs, validateManagedFields(m.managedFields, paths?.managedFields ?? p('managedFields')))
  if (builtinFinalizers && !finalizersSame) {
    for (const f of m.finalizers ?? []) errs.push(...validateBuiltinFinalizerName(f, p('finalizers')))
  }
  return errs
}

/** Appends `more` to `errs` (nearly always empty: no spread call for nothing). */
function append(errs: StatusCause[], more: StatusCause[]): void {
  for (let i = 0; i < more.length; i++) errs.push(more[i])
}

const sortedKeys = (o: Record<string, string> | undefined): string[] => Object.keys(o ?? {}).sort()

/** Whether `ok` holds for every own entry of `o` (every entry is visited). */
function allValid(o: Record<string, string> | undefined, ok: (k: string, v: string) => boolean): boolean {
  let all = true
  if (o) for (const k of Object.keys(o)) if (!ok(k, o[k])) all = false
  return all
}

/** Label keys are qualified names and values label values; every cause names the labels map. */
export function validateLabels(labels: Record<string, string> | undefined, field: string): StatusCause[] {
  // Nearly every label is valid: find that first, without sorting the keys (which only orders causes).
  if (allValid(labels, (k, v) => isQualifiedName(k).length === 0 && isValidLabelValue(v).length === 0)) return []
  const errs: StatusCause[] = []
  for (const k of sortedKeys(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(field, k, msg))
    const v = labels![k]
    for (const msg of isValidLabelValue(v)) errs.push(invalid(field, v, msg))
  }
  return errs
}

/** Annotation keys are qualified names (case ignored); keys and values together at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): StatusCause[] {
  let size = 0
  const keysValid = allValid(annotations, (k, v) => {
    size += byteLength(k) + byteLength(String(v ?? ''))
    return isQualifiedName(k.toLowerCase()).length === 0
  })
  if (keysValid && size <= TOTAL_ANNOTATION_SIZE_LIMIT) return []
  const errs: StatusCause[] = []
  let total = 0
  for (const k of sortedKeys(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, msg))
    total += byteLength(k) + byteLength(String(annotations![k] ?? ''))
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT))
  return errs
}

/** schema.ParseGroupVersion, leniently: an unparsable apiVersion has no version. */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' }
  // As splitting on `/`: no slash is a bare version, one slash group/version, more is unparsable.
  const slash = apiVersion.indexOf('/')
  if (slash < 0) return { group: '', version: apiVersion }
  if (slash === apiVersion.lastIndexOf('/')) return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) }
  return { group: '', version: '' }
}

const goPtr = (v: boolean | undefined): string => (v === undefined ? '(*bool)(nil)' : `(*bool)(${v})`)

/** `%#v` of a metav1.OwnerReference; pointers show their value rather than an address. */
function formatOwnerReference(r: OwnerReference): string {
  return (
    `v1.OwnerReference{APIVersion:${goQuote(r.apiVersion ?? '')}, Kind:${goQuote(r.kind ?? '')}, ` +
    `Name:${goQuote(r.name ?? '')}, UID:${goQuote(r.uid ?? '')}, Controller:${goPtr(r.controller)}, ` +
    `BlockOwnerDeletion:${goPtr(r.blockOwnerDeletion)}}`
  )
}

/** apiVersion, kind, name and uid present; Events cannot own; at most one controller. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, field: string): StatusCause[] {
  const errs: StatusCause[] = []
  let firstController = ''
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? ''
    const kind = ref.kind ?? ''
    const gv = parseGroupVersion(apiVersion)
    // Upstream reports every owner reference under the list's path, without an index.
    if (!gv.version) errs.push(invalid(childPath(field, 'apiVersion'), apiVersion, 'version must not be empty'))
    if (!kind) errs.push(invalid(childPath(field, 'kind'), kind, 'must not be empty'))
    if (!ref.name) errs.push(invalid(childPath(field, 'name'), ref.name ?? '', 'must not be empty'))
    if (!ref.uid) errs.push(invalid(childPath(field, 'uid'), ref.uid ?? '', 'must not be empty'))
    if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(invalid(field, { raw: formatOwnerReference(ref) }, '/v1, Kind=Event is disallowed from being an owner'))
    }
    if (ref.controller === true) {
      const current = `${kind}/${ref.name ?? ''}`
      if (firstController) {
        const all = `[]v1.OwnerReference{${(refs ?? []).map(formatOwnerReference).join(', ')}}`
        errs.push(
          invalid(
            field,
            { raw: all },
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        )
      } else firstController = current
    }
  }
  return errs
}

/** Finalizers are qualified names, and `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: string[] | undefined, field: string): StatusCause[] {
  const errs: StatusCause[] = []
  const list = finalizers ?? []
  for (const f of list) for (const msg of isQualifiedName(f)) errs.push(invalid(field, f, msg))
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalid(field, list, 'finalizer orphan and foregroundDeletion cannot be both set'))
  }
  return errs
}

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion'])

/** Built-in kinds: a finalizer without a domain must be one of Kubernetes' own. */
export function validateBuiltinFinalizerName(name: string, field: string): StatusCause[] {
  if (name.split('/').length === 1 && !standardFinalizers.has(name)) {
    return [invalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified')]
  }
  return []
}

const FIELD_MANAGER_MAX_LENGTH = 128

/**
 * Manager names already found valid: every write checks every entry of an object's managedFields,
 * and there are few managers. Bounded, in case clients invent names without end.
 */
const validManagers = new Set<string>()

function rememberValidManager(name: string): void {
  if (validManagers.size >= 1024) validManagers.clear()
  validManagers.add(name)
}

/** managedFields entries: operation Apply or Update, fieldsType FieldsV1, a printable manager of at most 128. */
export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined, field: string): StatusCause[] {
  const errs: StatusCause[] = []
  const list = entries ?? []
  for (let i = 0; i < list.length; i++) {
    const e = list[i]
    // (The path is written only for a problem: every write checks every entry.)
    const at = (): string => `${field}[${i}]`
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      errs.push(invalid(`${at()}.operation`, e.operation ?? '', 'must be `Apply` or `Update`'))
    }
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(invalid(`${at()}.fieldsType`, e.fieldsType, 'must be `FieldsV1`'))
    const manager = e.manager ?? ''
    if (!validManagers.has(manager)) {
      const before = errs.length
      if (byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errs.push(tooLong(`${at()}.manager`, FIELD_MANAGER_MAX_LENGTH))
      let pos = 0
      for (const ch of manager) {
        if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
          const hex = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')
          errs.push(invalid(`${at()}.manager`, manager, `invalid character U+${hex} (at position ${pos})`))
        }
        pos += byteLength(ch)
      }
      if (errs.length === before) rememberValidManager(manager)
    }
    if (e.subresource && byteLength(e.subresource) > 256) errs.push(tooLong(`${at()}.subresource`, 256))
  }
  return errs
}
