/**
 * How a JSON value is read through a TypeNode: the type of a child, whether a field is one the
 * schema names, and the path element of a list item (SMD's listItemToPathElement).
 */
import { badRequest } from '../../../../reconciler/api/errors.js'
import { untyped, type ListNode, type TypeNode } from '../../../../reconciler/api/schema/type-node.js'
import { keyPe, pathString, type Json, type Path, type PathElement } from './path-element.js'

/** A JSON object. */
export type JsonObject = { [key: string]: Json }

/**
 * A map list may say which value a key field takes when an item omits it (`protocol: TCP` for
 * ports), as SMD reads the schema default of a key field. Optional: TypeNode has no such field yet.
 */
export type ListNodeWithKeyDefaults = ListNode & { keyDefaults?: Record<string, Json> }

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The node itself, or `untyped` when there is none. */
export function resolve(node: TypeNode | undefined): TypeNode {
  return node ?? untyped
}

/** The type of `key` inside an object of type `node`. */
export function childType(node: TypeNode, key: string): TypeNode {
  if (node.kind === 'struct') return resolve(node.field(key))
  if (node.kind === 'map') return node.values()
  return untyped
}

/** Whether `key` is a field the struct declares (SMD's FindField). */
export function isNamedField(node: TypeNode, key: string): boolean {
  return node.kind === 'struct' && node.field(key) !== undefined
}

/** Whether `node` merges by key or item (not a leaf). */
export function isGranularObject(node: TypeNode): boolean {
  return node.kind === 'untyped' || ((node.kind === 'struct' || node.kind === 'map') && !node.atomic)
}

/** Whether `node` is a list merged by item. */
export function isGranularList(node: TypeNode): node is ListNode {
  return node.kind === 'list' && node.listType !== 'atomic'
}

/** An error in the shape of one list item, collected by the caller. */
export class ItemError extends Error {}

/**
 * The path element of a list item: its key for map lists (missing key fields take the list's key
 * defaults, or fail), its value for sets.
 */
export function itemPathElement(list: ListNode, item: Json): PathElement {
  if (list.listType === 'map') {
    if (item === null) throw new ItemError('associative list with keys may not have a null element')
    if (!isObject(item)) throw new ItemError('associative list with keys may not have non-map elements')
    const defaults = (list as ListNodeWithKeyDefaults).keyDefaults ?? {}
    const fields: [string, Json][] = []
    for (const k of list.keys ?? []) {
      if (Object.hasOwn(item, k)) fields.push([k, item[k]])
      else if (Object.hasOwn(defaults, k)) fields.push([k, defaults[k]])
      else throw new ItemError(`associative list with keys has an element that omits key field "${k}" (and doesn't have default value)`)
    }
    return keyPe(fields)
  }
  if (isObject(item)) throw new ItemError("associative list without keys has an element that's a map type")
  if (Array.isArray(item)) throw new ItemError("not supported: associative list with lists as elements")
  return { value: item }
}

/** Path elements of a list's items; duplicates and unkeyable items are reported in `errors`. */
export function indexItems(
  list: ListNode,
  items: Json[],
): { order: PathElement[]; byKey: Map<string, { pe: PathElement; item: Json }>; errors: string[] } {
  const order: PathElement[] = []
  const byKey = new Map<string, { pe: PathElement; item: Json }>()
  const errors: string[] = []
  items.forEach((item, i) => {
    let pe: PathElement
    try {
      pe = itemPathElement(list, item)
    } catch (err) {
      errors.push(`element ${i}: ${(err as Error).message}`)
      return
    }
    const k = JSON.stringify(pe)
    if (byKey.has(k)) {
      errors.push(`duplicate entries for key ${pathString([pe])}`)
      return
    }
    byKey.set(k, { pe, item })
    order.push(pe)
  })
  return { order, byKey, errors }
}

/** Stable identity of a path element, for maps. */
export const peId = (pe: PathElement): string => JSON.stringify(pe)

/** The 400 kube-apiserver answers for an applied configuration it cannot type. */
export function invalidConfig(path: Path, problems: string[]): Error {
  const at = pathString(path) || '.'
  return badRequest(`failed to create typed patch object: ${problems.map((p) => `${at}: ${p}`).join('; ')}`)
}
