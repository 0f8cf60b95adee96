/**
 * The three-way merge of client-side apply (kubectl's strategic merge patch, computed and applied in
 * one step): fields the user set in `modified` are written over `current`; fields the user had set in
 * `original` (the last-applied configuration) and no longer sets are removed; fields neither
 * mentions (defaults, status, other writers' fields) stay as they are. Lists with merge keys merge
 * item by item; other lists are replaced whole.
 */
import { isPlainObject, jsonEqual } from './object.js'
import type { ListNode, TypeNode } from './schema/type-node.js'

type Obj = Record<string, unknown>

function child(node: TypeNode | undefined, key: string): TypeNode | undefined {
  if (!node) return undefined
  if (node.kind === 'struct') return node.field(key)
  if (node.kind === 'map') return node.values()
  return node.kind === 'untyped' ? node : undefined
}

function itemKey(list: ListNode, item: unknown): string | undefined {
  if (list.listType === 'set') return JSON.stringify(item)
  if (list.listType !== 'map' || !isPlainObject(item)) return undefined
  // A key field the item leaves out takes its schema default (a port's protocol is TCP), as the server fills it in.
  return JSON.stringify((list.keys ?? []).map((k) => item[k] ?? list.keyDefaults?.[k] ?? null))
}

function mergeList(original: unknown, modified: unknown[], current: unknown, list: ListNode): unknown[] {
  const items = list.items()
  const cur = Array.isArray(current) ? current : []
  const orig = Array.isArray(original) ? original : []
  const key = (it: unknown): string | undefined => itemKey(list, it)
  if (modified.some((m) => key(m) === undefined)) return modified
  const origByKey = new Map(orig.map((o) => [key(o), o]))
  const curByKey = new Map(cur.map((c) => [key(c), c]))
  const modKeys = new Set(modified.map(key))
  const out: unknown[] = []
  for (const m of modified) {
    const k = key(m)
    out.push(curByKey.has(k) ? mergeValue(origByKey.get(k), m, curByKey.get(k), items) : m)
  }
  // Items only the server or other writers added stay; items the user removed go.
  for (const c of cur) {
    const k = key(c)
    if (!modKeys.has(k) && !origByKey.has(k)) out.push(c)
  }
  return out
}

function mergeValue(original: unknown, modified: unknown, current: unknown, node: TypeNode | undefined): unknown {
  if (isPlainObject(modified) && isPlainObject(current)) {
    const atomic = node && (node.kind === 'struct' || node.kind === 'map') && node.atomic
    if (!atomic) return mergeObject(isPlainObject(original) ? original : {}, modified, current, node)
  }
  if (Array.isArray(modified) && node?.kind === 'list' && node.listType !== 'atomic') {
    return mergeList(original, modified, current, node)
  }
  return modified
}

function mergeObject(original: Obj, modified: Obj, current: Obj, node: TypeNode | undefined): Obj {
  const out: Obj = { ...current }
  for (const [k, v] of Object.entries(modified)) {
    if (v === null) delete out[k]
    else out[k] = k in current ? mergeValue(original[k], v, current[k], child(node, k)) : v
  }
  for (const k of Object.keys(original)) if (!(k in modified)) delete out[k]
  return out
}

/** The object client-side apply produces from the last-applied `original`, the new `modified` and the live `current`. */
export function threeWayMerge(original: Obj | undefined, modified: Obj, current: Obj, node: TypeNode | undefined): Obj {
  return mergeObject(original ?? {}, modified, current, node)
}

/** True when applying `modified` over `current` would change nothing. */
export function isNoop(original: Obj | undefined, modified: Obj, current: Obj, node: TypeNode | undefined): boolean {
  return jsonEqual(threeWayMerge(original, modified, current, node), current)
}
