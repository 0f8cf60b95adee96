/** Reads capstan's JSON Schemas from `schemas/` once, lazily, one kind file at a time. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { schemasDir } from '../../paths.js'

/** A JSON Schema node as stored in `schemas/` (draft-07 plus Kubernetes `x-` annotations). */
export interface SchemaNode {
  $ref?: string
  $id?: string
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  additionalProperties?: boolean | SchemaNode
  items?: SchemaNode
  required?: string[]
  enum?: unknown[]
  format?: string
  description?: string
  title?: string
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map'
  'x-kubernetes-list-map-keys'?: string[]
  'x-kubernetes-patch-merge-key'?: string
  'x-kubernetes-patch-strategy'?: string
  'x-kubernetes-map-type'?: 'atomic' | 'granular'
  'x-kubernetes-int-or-string'?: boolean
  'x-kubernetes-preserve-unknown-fields'?: boolean
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[]
  'x-capstan-opaque'?: boolean
  [keyword: string]: unknown
}

/** The shared definitions file (`schemas/definitions.json`). */
export interface DefinitionsFile extends SchemaNode {
  definitions: Record<string, SchemaNode>
}

let definitionsFile: DefinitionsFile | undefined
const kindFiles = new Map<string, SchemaNode>()

/** The shared definitions, read on first use. */
export function loadDefinitions(): DefinitionsFile {
  return (definitionsFile ??= JSON.parse(readFileSync(join(schemasDir(), 'definitions.json'), 'utf8')) as DefinitionsFile)
}

/** The root schema of one kind (`Deployment` → `schemas/deployment.json`); throws for an unknown kind. */
export function loadKindSchema(kind: string): SchemaNode {
  const cached = kindFiles.get(kind)
  if (cached) return cached
  let schema: SchemaNode
  try {
    schema = JSON.parse(readFileSync(join(schemasDir(), `${kind.toLowerCase()}.json`), 'utf8')) as SchemaNode
  } catch (err) {
    throw new Error(`capstan: no schema for kind ${JSON.stringify(kind)}`, { cause: err })
  }
  if (schema.title !== kind) throw new Error(`capstan: no schema for kind ${JSON.stringify(kind)} (did you mean ${schema.title}?)`)
  kindFiles.set(kind, schema)
  return schema
}

/** Every kind that has a schema, sorted. Reads each kind file (small) the first time. */
export function schemaKinds(): string[] {
  const kinds: string[] = []
  for (const file of readdirSync(schemasDir())) {
    if (!file.endsWith('.json') || file === 'definitions.json') continue
    const schema = JSON.parse(readFileSync(join(schemasDir(), file), 'utf8')) as SchemaNode
    if (typeof schema.title === 'string') kinds.push(schema.title)
  }
  return kinds.sort()
}

/** Follows a `$ref` (`definitions.json#/definitions/X` or `#/definitions/X`) to its definition. */
export function resolveRef(ref: string): SchemaNode {
  const name = ref.slice(ref.lastIndexOf('/') + 1)
  const def = loadDefinitions().definitions[name]
  if (!def) throw new Error(`capstan: schema reference ${ref} not found`)
  return def
}

/** The definition name a `$ref` points at (`PodSpec`). */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1)
}
