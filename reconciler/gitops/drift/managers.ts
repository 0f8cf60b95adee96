/**
 * Who owns a field: the managedFields entry whose fieldsV1 set holds the field's path. fieldsV1
 * names map keys `f:<name>`, list items by key `k:{"name":"web"}`, by value `v:<json>` or by index
 * `i:<n>` (structured-merge-diff's path elements); the owner is the entry holding the deepest prefix.
 */
import { isPlainObject, type ManagedFieldsEntry } from '../../api/object.js'
import { FIELD_MANAGER } from '../labels.js'

/** Whether list item `item` is the one path element `key` names. */
function itemMatches(key: string, item: unknown, index: number): boolean {
  if (key.startsWith('i:')) return Number(key.slice(2)) === index
  if (key.startsWith('v:')) return JSON.stringify(item) === key.slice(2) || safeEqual(key.slice(2), item)
  if (key.startsWith('k:') && isPlainObject(item)) {
    try {
      const want = JSON.parse(key.slice(2)) as Record<string, unknown>
      return Object.entries(want).every(([k, v]) => item[k] === v)
    } catch {
      return false
    }
  }
  return false
}

function safeEqual(json: string, v: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(json)) === JSON.stringify(v)
  } catch {
    return false
  }
}

/** How deep `fields` owns along `path` (segments of a JSON pointer) in `obj`: 0 when it does not own the field. */
function depthOwned(fields: unknown, path: readonly string[], obj: unknown): number {
  let node = fields
  let value = obj
  let depth = 0
  for (const seg of path) {
    if (!isPlainObject(node)) break
    let next: unknown
    if (Array.isArray(value)) {
      const index = Number(seg)
      const item = value[index]
      const key = Object.keys(node).find((k) => itemMatches(k, item, index))
      next = key ? node[key] : undefined
      value = item
    } else {
      next = node[`f:${seg}`]
      value = isPlainObject(value) ? value[seg] : undefined
    }
    // The field is not in this set: owned only when the set stopped at an atomic leaf (`{}`) above it.
    if (next === undefined) return isPlainObject(node) && Object.keys(node).length === 0 && depth > 0 ? depth : 0
    node = next
    depth++
  }
  return depth
}

/** The manager owning the deepest part of `path` in `live` (its operation and subresource ignored), or undefined. */
export function fieldManager(entries: readonly ManagedFieldsEntry[] | undefined, path: readonly string[], live: unknown): string | undefined {
  let best: { manager: string; depth: number } | undefined
  for (const e of entries ?? []) {
    if (!e.manager) continue
    const d = depthOwned(e.fieldsV1, path, live)
    // A tie (two managers own the same leaf, e.g. after a shared apply) goes to the one that is not capstan.
    if (d > 0 && (!best || d > best.depth || (d === best.depth && best.manager === FIELD_MANAGER))) best = { manager: e.manager, depth: d }
  }
  return best?.manager
}
