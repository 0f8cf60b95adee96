/**
 * Where a strategic merge patch finds its rules: the `x-kubernetes-patch-strategy` and
 * `x-kubernetes-patch-merge-key` of each field, read from capstan's schemas (as kube-apiserver reads
 * them from its Go struct tags).
 */
import { loadKindSchema, resolveRef, type SchemaNode } from '../schema/load-schemas.js'

/** A position in an object's schema; `undefined` schema means no known type (merge maps, replace lists). */
export interface PatchMeta {
  schema: SchemaNode | undefined
  /** The field's patch strategies (`merge`, `retainKeys`, `replace`), from a comma-separated tag. */
  strategies: string[]
  /** For lists of objects merged by key: the key field (`name`, `containerPort`). */
  mergeKey?: string
}

/** Follows `$ref`s until a schema with its own content. */
function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node
  for (let i = 0; n?.$ref && i < 32; i++) n = resolveRef(n.$ref)
  return n
}

function strategiesOf(node: SchemaNode): string[] {
  const s = node['x-kubernetes-patch-strategy']
  return typeof s === 'string' && s ? s.split(',') : []
}

/** The schema of a kind's root object, or undefined for a kind without one (Scale, unknown). */
export function rootSchema(kind: unknown): SchemaNode | undefined {
  if (typeof kind !== 'string' || !kind) return undefined
  try {
    return loadKindSchema(kind)
  } catch {
    return undefined
  }
}

/** The patch metadata of field `key` of an object whose schema is `parent`. */
export function fieldMeta(parent: SchemaNode | undefined, key: string): PatchMeta {
  const p = deref(parent)
  if (!p) return { schema: undefined, strategies: [] }
  const prop = p.properties?.[key]
  if (prop) {
    return {
      schema: deref(prop),
      strategies: strategiesOf(prop),
      mergeKey: typeof prop['x-kubernetes-patch-merge-key'] === 'string' ? prop['x-kubernetes-patch-merge-key'] : undefined,
    }
  }
  if (typeof p.additionalProperties === 'object') return { schema: deref(p.additionalProperties), strategies: [] }
  return { schema: undefined, strategies: [] }
}

/** The schema of a list's items. */
export function itemSchema(list: SchemaNode | undefined): SchemaNode | undefined {
  return deref(deref(list)?.items)
}
