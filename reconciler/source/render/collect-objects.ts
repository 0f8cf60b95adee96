/** Turn one parsed document into objects: check the type fields, expand `List` kinds into their items. */
import { isMap, isSeq, type Document, type LineCounter, type Node } from 'yaml'
import type { ManifestError } from './errors.js'
import { MAX_LIST_DEPTH } from './limits.js'
import { rememberSource } from './positions.js'
import type { ManifestObject } from './types.js'

/** Where the document came from, and the parse that positions are looked up in. */
export interface DocumentSource {
  file: string
  doc: number
  /** The parsed yaml document, when positions are known (always for YAML; for JSON when it parses as YAML too). */
  yaml?: Document
  lines?: LineCounter
}

/** What a document yields. */
export interface Collected {
  objects: ManifestObject[]
  errors: ManifestError[]
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list'
  if (v === null) return 'null'
  return `a ${typeof v}`
}

function lineAt(src: DocumentSource, node: Node | undefined, fallback: number): number {
  const offset = node?.range?.[0]
  return offset !== undefined && src.lines ? src.lines.linePos(offset).line : fallback
}

/** A kind such as `List` or `ConfigMapList` whose `items` are objects of their own. */
function isListKind(object: Record<string, unknown>): boolean {
  return object.kind === 'List' || (typeof object.kind === 'string' && object.kind.endsWith('List') && 'items' in object)
}

/**
 * Collect the objects of one document's value. `node` is the yaml node of `value` (for lines).
 * A `List` (or `XList`) is expanded: each item becomes an object with its own line; an item that
 * has neither kind nor apiVersion takes them from an `XList` (kind `X`), as kubectl does.
 */
export function collectObjects(value: unknown, node: Node | undefined, src: DocumentSource, docLine: number): Collected {
  const out: Collected = { objects: [], errors: [] }
  walk(value, node, src, docLine, '', undefined, 0, out)
  return out
}

function walk(
  value: unknown,
  node: Node | undefined,
  src: DocumentSource,
  line: number,
  field: string,
  item: number | undefined,
  depth: number,
  out: Collected,
): void {
  const base = { file: src.file, doc: src.doc, line }
  const at = (f: string) => (field ? `${field}.${f}` : f)
  if (!isPlainObject(value)) {
    out.errors.push({ ...base, ...(field ? { field } : {}), code: 'NotAnObject', message: `expected an object (a mapping), found ${describe(value)}` })
    return
  }
  if (isListKind(value)) {
    if (depth >= MAX_LIST_DEPTH) {
      out.errors.push({ ...base, field: at('items'), code: 'NotAnObject', message: `Lists nested deeper than ${MAX_LIST_DEPTH}` })
      return
    }
    const items = value.items
    if (items == null) return
    if (!Array.isArray(items)) {
      out.errors.push({ ...base, field: at('items'), code: 'NotAnObject', message: `items must be a list, found ${describe(items)}` })
      return
    }
    const itemsNode = isMap(node) ? (node.get('items', true) as Node | undefined) : undefined
    const itemKind = (value.kind as string).slice(0, -'List'.length)
    items.forEach((entry, i) => {
      const entryNode = isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined
      const entryLine = lineAt(src, entryNode, line)
      if (isPlainObject(entry) && entry.kind === undefined && entry.apiVersion === undefined && itemKind !== '') {
        // kubectl: an item of a ConfigMapList with no type fields is a ConfigMap of the list's apiVersion.
        entry.kind = itemKind
        if (value.apiVersion !== undefined) entry.apiVersion = value.apiVersion
      }
      walk(entry, entryNode, src, entryLine, at(`items[${i}]`), item ?? i, depth + 1, out)
    })
    return
  }
  let ok = true
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') {
    out.errors.push({ ...base, field: at('apiVersion'), code: 'MissingApiVersion', message: 'apiVersion not set' })
    ok = false
  }
  if (typeof value.kind !== 'string' || value.kind === '') {
    out.errors.push({ ...base, field: at('kind'), code: 'MissingKind', message: 'kind not set' })
    ok = false
  }
  if (!ok) return
  const manifest: ManifestObject = { object: value, file: src.file, doc: src.doc, line }
  if (item !== undefined) manifest.item = item
  if (src.yaml && src.lines) rememberSource(value, node, src.yaml, src.lines)
  out.objects.push(manifest)
}
