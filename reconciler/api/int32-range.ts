/**
 * int32 fields hold 32-bit integers: kube-apiserver cannot decode `replicas: 2147483648` into its Go
 * type and answers 400 before anything else looks at the object. The schema validators check only
 * that such a value is an integer, so this finds the fields of format int32 holding a number out of
 * range, walking the object with its kind's schema (run only when the object holds such a number).
 */
import { badRequest, type ApiError } from './errors.js'
import type { KindInfo } from './kinds.js'
import { loadKindSchema, refName, resolveRef, type SchemaNode } from './schema/load-schemas.js'

const MIN = -2147483648
const MAX = 2147483647

/** Whether `n` is a number an int32 field cannot hold. */
export const outOfInt32 = (n: number): boolean => n > MAX || n < MIN

/** The decoding error for the first int32 field of `obj` holding an out-of-range number, if any. */
export function int32RangeError(k: KindInfo, obj: unknown): ApiError | undefined {
  const hit = find(obj, loadKindSchema(k.kind), k.kind, '', 0)
  if (!hit) return undefined
  return badRequest(`${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: json: cannot unmarshal number ${hit.value} into Go struct field ${hit.struct}.${hit.path} of type int32`)
}

function find(value: unknown, schema: SchemaNode, struct: string, path: string, depth: number): { value: number; struct: string; path: string } | undefined {
  if (depth > 64) return undefined
  let s = schema
  let owner = struct
  while (s.$ref) {
    owner = refName(s.$ref)
    s = resolveRef(s.$ref)
  }
  if (typeof value === 'number') return (s as { format?: string }).format === 'int32' && outOfInt32(value) ? { value, struct, path } : undefined
  if (Array.isArray(value)) {
    if (!s.items) return undefined
    for (const item of value) {
      const hit = find(item, s.items, owner, path, depth + 1)
      if (hit) return hit
    }
    return undefined
  }
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, v] of Object.entries(value)) {
    const child = s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined)
    if (!child) continue
    const hit = find(v, child, owner, path ? `${path}.${key}` : key, depth + 1)
    if (hit) return hit
  }
  return undefined
}
