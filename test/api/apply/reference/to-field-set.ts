/**
 * The set of fields an object sets, by its type (SMD's TypedValue.ToFieldSet): every scalar and
 * every atomic value is a member; list items, map entries and fields the schema does not name are
 * members too (they show as `".": {}` when they also have members below); named struct fields are
 * not. Also SMD's EnsureNamedFieldsAreMembers, which prune needs.
 */
import type { TypeNode } from '../../../../reconciler/api/schema/type-node.js'
import { FieldSet } from './field-set.js'
import type { Json, Path, PathElement } from './path-element.js'
import { childType, indexItems, invalidConfig, isNamedField, isObject, resolve } from './typed-value.js'

/** Options for fieldSetOf. */
export interface FieldSetOptions {
  /** Throw a BadRequest for list items without keys or with duplicate keys (for applied configurations). */
  strict?: boolean
}

/** The fields `value` sets, read through `node`. */
export function fieldSetOf(value: Json | undefined, node: TypeNode | undefined, opts: FieldSetOptions = {}): FieldSet {
  const set = new FieldSet()
  if (value !== undefined) walk(value, resolve(node), [], set, opts.strict ?? false)
  return set
}

function walk(v: Json, node: TypeNode, path: Path, set: FieldSet, strict: boolean): void {
  switch (node.kind) {
    case 'scalar':
      set.insert(path)
      return
    case 'untyped':
      if (!isObject(v)) {
        set.insert(path)
        return
      }
      for (const [k, child] of Object.entries(v)) {
        const p = [...path, { field: k }]
        walk(child, node, p, set, strict)
        set.insert(p)
      }
      return
    case 'struct':
    case 'map':
      if (node.atomic) {
        set.insert(path)
        return
      }
      if (v === null) return
      if (!isObject(v)) {
        set.insert(path)
        return
      }
      for (const [k, child] of Object.entries(v)) {
        const p = [...path, { field: k }]
        walk(child, childType(node, k), p, set, strict)
        if (!isNamedField(node, k)) set.insert(p)
      }
      return
    case 'list': {
      if (node.listType === 'atomic') {
        set.insert(path)
        return
      }
      if (v === null) return
      if (!Array.isArray(v)) {
        set.insert(path)
        return
      }
      const { order, byKey, errors } = indexItems(node, v)
      if (strict && errors.length) throw invalidConfig(path, errors)
      const itemType = node.items()
      for (const pe of order) {
        const p: Path = [...path, pe]
        walk(byKey.get(JSON.stringify(pe))!.item, itemType, p, set, strict)
        set.insert(p)
      }
      return
    }
  }
}

/**
 * The set plus every named struct field that has members below it, so that removing by this set
 * removes whole struct fields too (SMD's EnsureNamedFieldsAreMembers).
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, node: TypeNode | undefined): FieldSet {
  const out = new FieldSet()
  build(set, resolve(node), [], out)
  return out
}

function build(set: FieldSet, node: TypeNode, prefix: Path, out: FieldSet): void {
  for (const pe of set.memberElements()) out.insert([...prefix, pe])
  for (const [pe, sub] of set.childEntries()) {
    if ('field' in pe && isNamedField(node, pe.field)) out.insert([...prefix, pe])
    build(sub, childTypeOf(node, pe), [...prefix, pe], out)
  }
}

/** The type below one path element. */
export function childTypeOf(node: TypeNode, pe: PathElement): TypeNode {
  if ('field' in pe) return childType(node, pe.field)
  if (node.kind === 'list') return node.items()
  return resolve(undefined)
}
