/**
 * Builds the structural view server-side apply needs (type-node.ts) from capstan's schemas, the way
 * kube-openapi's schemaconv turns OpenAPI into structured-merge-diff types:
 * - an object with properties is a struct; one with only additionalProperties is a map;
 *   `x-kubernetes-map-type: atomic` (on the definition or on the field) makes either atomic;
 * - a list takes its type from `x-kubernetes-list-type` (map lists keyed by
 *   `x-kubernetes-list-map-keys`); without one, `x-kubernetes-patch-strategy: merge` means a map
 *   keyed by `x-kubernetes-patch-merge-key` (a set when there is no key); otherwise it is atomic;
 * - opaque fields (`x-capstan-opaque`), preserve-unknown objects and free-form objects are untyped;
 * - everything else (strings, numbers, booleans, IntOrString, Quantity) is a scalar.
 */
import { scalar, untyped, type ListNode, type MapNode, type StructNode, type TypeNode } from './type-node.js'
import { loadKindSchema, refName, resolveRef, type SchemaNode } from './load-schemas.js'

const byDefinition = new Map<string, TypeNode>()
const byKind = new Map<string, TypeNode>()

/** The TypeNode tree of one kind (`Deployment`), built lazily and cached. */
export function typeNodeFor(kind: string): TypeNode {
  let node = byKind.get(kind)
  if (!node) byKind.set(kind, (node = nodeOf(loadKindSchema(kind))))
  return node
}

/** The TypeNode of a schema node; `$ref`s resolve through the shared definitions. */
export function nodeOf(schema: SchemaNode): TypeNode {
  if (schema.$ref) {
    const name = refName(schema.$ref)
    const fieldAtomic = schema['x-kubernetes-map-type']
    if (fieldAtomic === undefined) {
      let node = byDefinition.get(name)
      if (!node) byDefinition.set(name, (node = nodeOf(resolveRef(schema.$ref))))
      return node
    }
    // A field-level map-type overrides the definition's (schemaconv does the same).
    const node = nodeOf(resolveRef(schema.$ref))
    if (node.kind === 'struct' || node.kind === 'map') return { ...node, atomic: fieldAtomic === 'atomic' }
    return node
  }
  if (schema['x-capstan-opaque'] || schema['x-kubernetes-preserve-unknown-fields']) return untyped
  if (schema['x-kubernetes-int-or-string'] || Array.isArray(schema.type)) return scalar
  if (schema.type === 'array') return listNode(schema)
  if (schema.properties) return structNode(schema)
  if (typeof schema.additionalProperties === 'object') return mapNode(schema, schema.additionalProperties)
  if (schema.type === 'object') return untyped
  return scalar
}

function structNode(schema: SchemaNode): StructNode {
  const props = schema.properties ?? {}
  const fields = new Map<string, TypeNode>()
  const node: StructNode = {
    kind: 'struct',
    field(name) {
      if (!Object.hasOwn(props, name)) return undefined
      let f = fields.get(name)
      if (!f) fields.set(name, (f = nodeOf(props[name])))
      return f
    },
    fieldNames: () => Object.keys(props),
    required: (name) => schema.required?.includes(name) === true,
  }
  if (schema['x-kubernetes-map-type'] === 'atomic') node.atomic = true
  return node
}

function mapNode(schema: SchemaNode, values: SchemaNode): MapNode {
  let v: TypeNode | undefined
  const node: MapNode = { kind: 'map', values: () => (v ??= nodeOf(values)) }
  if (schema['x-kubernetes-map-type'] === 'atomic') node.atomic = true
  return node
}

function listNode(schema: SchemaNode): ListNode {
  let items: TypeNode | undefined
  const itemsOf = (): TypeNode => (items ??= schema.items ? nodeOf(schema.items) : untyped)
  const listType = schema['x-kubernetes-list-type']
  if (listType === 'map') {
    const keys: string[] = schema['x-kubernetes-list-map-keys'] ?? []
    return withKeyDefaults({ kind: 'list', listType: 'map', keys, items: itemsOf }, schema.items, keys)
  }
  if (listType === 'set' || listType === 'atomic') return { kind: 'list', listType, items: itemsOf }
  const strategy = schema['x-kubernetes-patch-strategy']
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    const key = schema['x-kubernetes-patch-merge-key']
    if (key) return withKeyDefaults({ kind: 'list', listType: 'map', keys: [key], items: itemsOf }, schema.items, [key])
    return { kind: 'list', listType: 'set', items: itemsOf }
  }
  return { kind: 'list', listType: 'atomic', items: itemsOf }
}

/** Records the schema defaults of a map list's key fields (structured-merge-diff fills them in to key items). */
function withKeyDefaults(node: ListNode, items: SchemaNode | undefined, keys: string[]): ListNode {
  if (!items) return node
  const item = items.$ref ? resolveRef(items.$ref) : items
  const defaults: Record<string, string | number | boolean> = {}
  for (const k of keys) {
    const prop = item.properties?.[k]
    const d = prop && (prop.$ref ? resolveRef(prop.$ref) : prop).default
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') defaults[k] = d
  }
  if (Object.keys(defaults).length) node.keyDefaults = defaults
  return node
}
