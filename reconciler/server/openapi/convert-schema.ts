/**
 * capstan's JSON Schemas (draft-07, `schemas/`) as OpenAPI v3 component schemas in the official
 * shape: `$ref`s into `#/components/schemas/<official name>`, a `$ref` with siblings wrapped in
 * `allOf`, type unions as `oneOf`, and the Kubernetes `x-` annotations kept.
 */
import { refName, type SchemaNode } from '../../api/schema/load-schemas.js'
import { componentRef } from './names.js'

/** An OpenAPI schema object (plain JSON). */
export type OpenApiSchema = Record<string, unknown>

/** JSON-Schema-only keywords the OpenAPI documents do not carry. */
const DROPPED = new Set(['$schema', '$id', '$comment', 'title', 'additionalProperties', 'x-capstan-opaque', 'definitions', '$ref', 'type', 'properties', 'items'])

/** Converts one schema node; `refs` collects the short names of the definitions it references. */
export function toOpenApi(node: SchemaNode, refs: Set<string>): OpenApiSchema {
  const out: OpenApiSchema = {}
  if (node.$ref) {
    const name = refName(node.$ref)
    refs.add(name)
    const siblings = Object.keys(node).filter((k) => !DROPPED.has(k))
    if (siblings.length === 0) return { $ref: componentRef(name) }
    out.allOf = [{ $ref: componentRef(name) }]
  }
  if (Array.isArray(node.type)) {
    if (node['x-kubernetes-int-or-string']) out.format = 'int-or-string'
    out.oneOf = node.type.map((t) => ({ type: t }))
  } else if (node.type) {
    out.type = node.type
  }
  if (node.properties) {
    const props: Record<string, OpenApiSchema> = {}
    for (const [k, v] of Object.entries(node.properties)) props[k] = toOpenApi(v, refs)
    out.properties = props
  }
  if (node.items) out.items = toOpenApi(node.items, refs)
  if (typeof node.additionalProperties === 'object') out.additionalProperties = toOpenApi(node.additionalProperties, refs)
  for (const [k, v] of Object.entries(node)) {
    if (DROPPED.has(k) || k in out || k === 'x-kubernetes-int-or-string') continue
    out[k] = v
  }
  return out
}
