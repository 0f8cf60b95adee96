/**
 * The OpenAPI v3 documents kube-apiserver serves under `/openapi/v3`: an index with one entry per
 * group version, and per group version its paths and component schemas, generated from `schemas/`.
 */
import { createHash } from 'node:crypto'
import type { KindInfo } from '../../api/kinds.js'
import { loadDefinitions, loadKindSchema } from '../../api/schema/load-schemas.js'
import { kindsOf, servedGroups } from '../discovery.js'
import { toOpenApi, type OpenApiSchema } from './convert-schema.js'
import { META_REFS, META_SCHEMAS } from './meta-schemas.js'
import { componentRef, officialName } from './names.js'
import { kindPaths } from './paths.js'
import { extraVersionSchemas } from './hpa-v1-schemas.js'

/** A rendered document: its JSON text and its hash (the `?hash=` of the index). */
export interface OpenApiDocument {
  text: string
  hash: string
}

/** The index path of a group version: `api/v1`, `apis/apps/v1`. */
export function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`
}

function listSchema(k: KindInfo): OpenApiSchema {
  return {
    description: `${k.listKind} is a list of ${k.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
      items: { description: `List of ${k.plural}.`, type: 'array', items: { allOf: [{ $ref: componentRef(k.kind) }], default: {} } },
      kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
      metadata: { allOf: [{ $ref: componentRef('ListMeta') }], default: {}, description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': [{ group: k.group, kind: k.listKind, version: k.version }],
  }
}

/** Builds the document of one group version (undefined when not served). */
export function buildGroupVersionDocument(group: string, version: string): Record<string, unknown> | undefined {
  const kinds = kindsOf(group, version)
  if (kinds.length === 0) return undefined
  const schemas: Record<string, OpenApiSchema> = {}
  const pending = new Set<string>(['ListMeta', 'Status', 'DeleteOptions', 'Patch'])
  const done = new Set<string>()
  // A version served beside the stored one (autoscaling/v1): its own schemas.
  const extra = (k: KindInfo) => extraVersionSchemas(k.group, k.version, k.kind)
  for (const k of kinds) {
    const own = extra(k)
    if (own) {
      Object.assign(schemas, own.schemas())
      for (const r of own.refs) pending.add(r)
      continue
    }
    const refs = new Set<string>()
    schemas[officialName(k.kind)] = toOpenApi(loadKindSchema(k.kind), refs)
    schemas[officialName(k.listKind)] = listSchema(k)
    done.add(k.kind)
    for (const r of refs) pending.add(r)
    if (k.hasScale) pending.add('Scale')
  }
  const defs = loadDefinitions().definitions
  // Every definition reachable from the kinds, as the official documents include.
  while (pending.size) {
    const [name] = pending
    pending.delete(name)
    if (done.has(name)) continue
    done.add(name)
    if (META_SCHEMAS[name]) {
      schemas[officialName(name)] = META_SCHEMAS[name]
      for (const r of META_REFS[name] ?? []) pending.add(r)
      continue
    }
    const def = defs[name]
    if (!def) continue
    const refs = new Set<string>()
    schemas[officialName(name)] = toOpenApi(def, refs)
    for (const r of refs) pending.add(r)
  }
  const prefix = '/' + gvPath(group, version)
  const paths: Record<string, OpenApiSchema> = {}
  for (const k of kinds) Object.assign(paths, kindPaths(prefix, k, extra(k)))
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)))
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: {
      schemas: sorted,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
  }
}

let cache: Map<string, OpenApiDocument> | undefined

/** Every group version's document, rendered once per process. */
export function openApiDocuments(): Map<string, OpenApiDocument> {
  if (cache) return cache
  const out = new Map<string, OpenApiDocument>()
  for (const g of servedGroups()) {
    for (const v of g.versions) {
      const text = JSON.stringify(buildGroupVersionDocument(g.name, v))
      out.set(gvPath(g.name, v), { text, hash: createHash('sha512').update(text).digest('hex').toUpperCase() })
    }
  }
  return (cache = out)
}

/** `/openapi/v3`: the index of group version documents. */
export function openApiIndex(): unknown {
  const paths: Record<string, unknown> = {}
  for (const [p, doc] of openApiDocuments()) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` }
  return { paths }
}

