/**
 * The apply side of a strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch, with
 * MergeParallelList and IgnoreUnmatchedNulls as kube-apiserver sets them): maps merge key by key,
 * `null` deletes, lists tagged `merge` merge by their merge key (or as a set of scalars), other lists
 * are replaced, and the `$patch`, `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/`
 * directives apply.
 */
import type { SchemaNode } from '../schema/load-schemas.js'
import {
  DELETE_FROM_PRIMITIVE_LIST,
  PATCH_DIRECTIVE,
  RETAIN_KEYS,
  SET_ELEMENT_ORDER,
  StrategicPatchError,
} from './directives.js'
import { indexOfItem, normalizeElementOrder, partitionByPresence } from './element-order.js'
import { fieldMeta, itemSchema, type PatchMeta } from './patch-meta.js'

type JsonMap = Record<string, unknown>
const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Go's reflect kind of a JSON value, as the merge compares them. */
function typeOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'list'
  return typeof v
}

/** Merges `patch` into `original` (a map; both are consumed) under the schema `schema`. */
export function mergeMap(original: JsonMap | undefined, patch: JsonMap, schema: SchemaNode | undefined): JsonMap {
  if (PATCH_DIRECTIVE in patch) {
    const d = patch[PATCH_DIRECTIVE]
    if (d === 'replace') {
      const { [PATCH_DIRECTIVE]: _d, ...rest } = patch
      return stripDirectives(rest) as JsonMap
    }
    if (d === 'delete') return {}
    throw new StrategicPatchError(`Unable to apply patch: unknown patch type: ${JSON.stringify(d)} in map: ${JSON.stringify(patch)}`)
  }
  const out: JsonMap = original ?? {}
  const p: JsonMap = { ...patch }
  applyRetainKeys(out, p)
  mergeOrderedLists(out, p, schema)
  for (const [rawKey, patchV] of Object.entries(p)) {
    let key = rawKey
    let deleteList = false
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = rawKey.slice(DELETE_FROM_PRIMITIVE_LIST.length)
      deleteList = true
    }
    if (patchV === null) {
      delete out[key]
      continue
    }
    if (!(key in out) || out[key] === undefined) {
      if (!deleteList) {
        const v = stripDirectives(patchV)
        if (v !== undefined) out[key] = v
      }
      continue
    }
    if (typeOf(out[key]) !== typeOf(patchV)) {
      if (!deleteList) {
        const v = stripDirectives(patchV)
        if (v === undefined) delete out[key]
        else out[key] = v
      }
      continue
    }
    const meta = fieldMeta(schema, key)
    if (isMap(patchV)) {
      out[key] = meta.strategies.includes('replace') ? stripDirectives(patchV) : mergeMap(out[key] as JsonMap, patchV, meta.schema)
    } else if (Array.isArray(patchV)) {
      out[key] = mergeListField(out[key] as unknown[], patchV, meta, deleteList)
    } else {
      out[key] = patchV
    }
  }
  return out
}

/** A list field: merged when tagged `merge`, else replaced by the patch. */
function mergeListField(original: unknown[], patch: unknown[], meta: PatchMeta, deleteList: boolean): unknown[] {
  if (!meta.strategies.includes('merge')) return stripDirectives(patch) as unknown[]
  return mergeList(original, patch, itemSchema(meta.schema), meta.mergeKey, deleteList)
}

/** strategicpatch's mergeSlice: scalars as a set, maps by merge key; then the patch's order. */
function mergeList(original: unknown[], patch: unknown[], items: SchemaNode | undefined, mergeKey: string | undefined, deleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original
  const elemIsMap = [...original, ...patch].some(isMap)
  let merged: unknown[]
  let orig = original
  let pat = patch
  if (!elemIsMap) {
    if (deleteList) return original.filter((v) => !patch.includes(v))
    merged = dedupeScalars([...original, ...patch])
  } else {
    if (!mergeKey) throw new StrategicPatchError('cannot merge lists without merge key')
    ;[orig, pat] = splitSpecialItems(original, patch, mergeKey)
    merged = [...orig]
    for (const v of pat) {
      if (!isMap(v) || !(mergeKey in v)) throw new StrategicPatchError(`map: ${JSON.stringify(v)} does not contain declared merge key: ${mergeKey}`)
      const at = indexOfItem(merged, v, mergeKey)
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, v, items)
      else merged.push(stripDirectives(v))
    }
  }
  const key = elemIsMap ? mergeKey : undefined
  const [patchItems, serverOnly] = partitionByPresence(merged, pat, key)
  return normalizeElementOrder(patchItems, serverOnly, pat, orig, key)
}

/** Go's deduplicateScalars: the first of each value, in order. */
function dedupeScalars(list: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const v of list) if (!out.includes(v)) out.push(v)
  return out
}

/**
 * Items of a patch list that carry `$patch`: `delete` removes the original item with that key,
 * `replace` makes the rest of the patch list the whole list.
 */
function splitSpecialItems(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  let orig = original
  const plain: unknown[] = []
  let replace = false
  for (const v of patch) {
    if (!isMap(v) || !(PATCH_DIRECTIVE in v)) {
      plain.push(v)
      continue
    }
    const d = v[PATCH_DIRECTIVE]
    if (d === 'delete') {
      if (!(mergeKey in v)) throw new StrategicPatchError(`map: ${JSON.stringify(v)} does not contain declared merge key: ${mergeKey}`)
      orig = orig.filter((x) => !(isMap(x) && x[mergeKey] === v[mergeKey]))
    } else if (d === 'replace') {
      replace = true
    } else if (d === 'merge') {
      throw new StrategicPatchError('merging lists cannot yet be specified in the patch')
    } else {
      throw new StrategicPatchError(`Unable to apply patch: unknown patch type: ${JSON.stringify(d)} in map: ${JSON.stringify(v)}`)
    }
  }
  return replace ? [plain, []] : [orig, plain]
}

/** `$retainKeys`: keys of the original that the list does not name are cleared. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!(RETAIN_KEYS in patch)) return
  const keep = patch[RETAIN_KEYS]
  delete patch[RETAIN_KEYS]
  if (!Array.isArray(keep)) throw new StrategicPatchError(`invalid patch: the value of ${RETAIN_KEYS} must be a list`)
  for (const k of Object.keys(patch)) {
    if (k.startsWith('$')) continue
    if (!keep.includes(k)) throw new StrategicPatchError(`The value of ${k} must be in the list of ${RETAIN_KEYS}`)
  }
  for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k]
}

/**
 * `$setElementOrder/<field>` (with the field's patch list and `$deleteFromPrimitiveList/<field>`):
 * merges the list, then orders it as the directive says. Consumes the keys it handles.
 */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, schema: SchemaNode | undefined): void {
  for (const k of Object.keys(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue
    const field = k.slice(SET_ELEMENT_ORDER.length)
    const order = patch[k]
    if (!Array.isArray(order)) throw new StrategicPatchError(`invalid patch: ${k} must be a list`)
    const meta = fieldMeta(schema, field)
    const originalList = Array.isArray(original[field]) ? (original[field] as unknown[]) : []
    const patchList = Array.isArray(patch[field]) ? (patch[field] as unknown[]) : []
    const deleteKey = DELETE_FROM_PRIMITIVE_LIST + field
    const deletions = Array.isArray(patch[deleteKey]) ? (patch[deleteKey] as unknown[]) : []
    const elemIsMap = [...order, ...originalList, ...patchList].some(isMap)
    const mergeKey = elemIsMap ? meta.mergeKey : undefined
    if (elemIsMap && !mergeKey) throw new StrategicPatchError(`cannot merge lists without merge key for ${field}`)
    let merged: unknown[]
    if (elemIsMap) {
      const [orig, pat] = splitSpecialItems(originalList, patchList, mergeKey!)
      merged = [...orig]
      for (const v of pat) {
        if (!isMap(v) || !(mergeKey! in v)) throw new StrategicPatchError(`map: ${JSON.stringify(v)} does not contain declared merge key: ${mergeKey}`)
        const at = indexOfItem(merged, v, mergeKey)
        if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, v, itemSchema(meta.schema))
        else merged.push(stripDirectives(v))
      }
    } else {
      merged = dedupeScalars([...originalList, ...patchList]).filter((v) => !deletions.includes(v))
    }
    const [patchItems, serverOnly] = partitionByPresence(merged, order, mergeKey)
    const result = normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey)
    if (result.length > 0 || field in original) original[field] = result
    delete patch[k]
    delete patch[field]
    delete patch[deleteKey]
  }
}

/** A patch value taken as is (nothing to merge into): directives and nulls removed. */
export function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = []
    for (const item of v) {
      if (isMap(item) && PATCH_DIRECTIVE in item && Object.keys(item).length === 1) continue
      if (isMap(item) && item[PATCH_DIRECTIVE] === 'delete') continue
      const s = stripDirectives(item)
      if (s !== undefined) out.push(s)
    }
    return out
  }
  if (!isMap(v)) return v
  if (v[PATCH_DIRECTIVE] === 'delete') return undefined
  const out: JsonMap = {}
  for (const [k, x] of Object.entries(v)) {
    if (k === PATCH_DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue
    if (x === null) continue
    const s = stripDirectives(x)
    if (s !== undefined) out[k] = s
  }
  return out
}
