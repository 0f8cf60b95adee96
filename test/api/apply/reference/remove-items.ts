/**
 * Removing (or keeping only) the fields, map entries and list items a set names (SMD's
 * RemoveItems and ExtractItems). A member removes the whole value at its path; children descend.
 * Objects and lists left empty by a removal disappear.
 */
import type { TypeNode } from '../../../../reconciler/api/schema/type-node.js'
import type { FieldSet } from './field-set.js'
import type { Json } from './path-element.js'
import { childType, itemPathElement, isObject, resolve, type JsonObject } from './typed-value.js'

/** `value` without the paths in `set`; undefined when nothing is left. */
export function removeItems(value: Json | undefined, set: FieldSet, node: TypeNode | undefined): Json | undefined {
  if (value === undefined) return undefined
  return walk(value, set, resolve(node), false)
}

/** Only the paths in `set` from `value` (a member keeps its whole value); undefined when nothing is kept. */
export function extractItems(value: Json | undefined, set: FieldSet, node: TypeNode | undefined): Json | undefined {
  if (value === undefined) return undefined
  return walk(value, set, resolve(node), true)
}

function walk(v: Json, set: FieldSet, node: TypeNode, extract: boolean): Json | undefined {
  if (node.kind === 'scalar') return v
  if (node.kind === 'list') {
    if (!Array.isArray(v) || v.length === 0) return undefined
    if (node.listType === 'atomic') return extract ? v : undefined
    const out: Json[] = []
    for (const item of v) {
      let pe
      try {
        pe = itemPathElement(node, item)
      } catch {
        if (!extract) out.push(item)
        continue
      }
      const sub = set.child(pe)
      const member = set.hasMember(pe)
      if (extract) {
        if (member) out.push(item)
        else if (sub && !sub.empty()) {
          const kept = walk(item, sub, node.items(), extract)
          if (kept !== undefined) out.push(kept)
        }
      } else {
        if (member) continue
        if (sub && !sub.empty()) {
          const kept = walk(item, sub, node.items(), extract)
          if (kept !== undefined) out.push(kept)
        } else out.push(item)
      }
    }
    return out.length ? out : undefined
  }
  if (!isObject(v) || Object.keys(v).length === 0) return node.kind === 'untyped' ? v : undefined
  if (node.kind !== 'untyped' && node.atomic) return extract ? v : undefined
  const out: JsonObject = {}
  for (const [k, val] of Object.entries(v)) {
    const pe = { field: k }
    if (set.hasMember(pe)) {
      if (extract) out[k] = val
      continue
    }
    const sub = set.child(pe)
    if (sub && !sub.empty()) {
      const kept = walk(val, sub, childType(node, k), extract)
      if (kept !== undefined) out[k] = kept
    } else if (!extract) out[k] = val
  }
  return Object.keys(out).length ? out : undefined
}
