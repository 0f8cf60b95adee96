/**
 * The structural type of an object, as server-side apply needs it: which nodes are structs or maps
 * (merged key by key), which lists are atomic, sets, or maps keyed by some fields, and which values
 * are scalars. Built from `schemas/` (x-kubernetes-list-type, -list-map-keys, -map-type).
 */
export type TypeNode =
  | StructNode
  | MapNode
  | ListNode
  | ScalarNode
  | UntypedNode

/** An object with known fields (e.g. DeploymentSpec). `atomic` structs are replaced whole. */
export interface StructNode {
  kind: 'struct'
  /** The type of a known field; undefined for an unknown one. Lazy, so recursive types are fine. */
  field(name: string): TypeNode | undefined
  /** Field names the schema declares. */
  fieldNames(): string[]
  /** Whether the schema lists `name` as required (Go fields without `omitempty`). */
  required?(name: string): boolean
  atomic?: boolean
}

/** An object with free keys (labels, data, resources.limits). */
export interface MapNode {
  kind: 'map'
  values: () => TypeNode
  atomic?: boolean
}

/** A list. `map` lists merge items by `keys`; `set` lists by value; `atomic` lists are replaced whole. */
export interface ListNode {
  kind: 'list'
  listType: 'atomic' | 'set' | 'map'
  /** For listType map: the key fields, in order (e.g. ['containerPort', 'protocol']). */
  keys?: string[]
  /** For listType map: defaults of key fields an item may omit (a port's `protocol` is `TCP`). */
  keyDefaults?: Record<string, string | number | boolean>
  items: () => TypeNode
}

export interface ScalarNode {
  kind: 'scalar'
}

/** Outside capstan's model: objects are merged key by key, lists are atomic. */
export interface UntypedNode {
  kind: 'untyped'
}

export const scalar: ScalarNode = { kind: 'scalar' }
export const untyped: UntypedNode = { kind: 'untyped' }
