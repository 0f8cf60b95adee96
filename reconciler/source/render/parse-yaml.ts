/** Parse a multi-document YAML manifest file into objects, with positions, refusing hostile input. */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type YAMLError } from 'yaml'
import { collectObjects } from './collect-objects.js'
import type { ManifestError } from './errors.js'
import { guardDocumentSize } from './guard-size.js'
import { MAX_ALIAS_COUNT, MAX_DOCUMENT_BYTES } from './limits.js'
import { parseSimpleYaml } from './parse-simple-yaml.js'
import { plainData } from './plain-data.js'
import { rememberLazySource } from './positions.js'
import type { ManifestObject } from './types.js'
import { manifestYamlOptions } from './yaml-options.js'

/** The field path (`spec.template.metadata.labels`) of the key that starts at `offset`, if any. */
export function keyPathAt(node: unknown, offset: number, prefix = ''): string | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const key = pair.key as Node | null
      const name = isScalar(key) ? String(key.value) : '?'
      const path = prefix ? `${prefix}.${name}` : name
      if (key?.range?.[0] === offset) return path
      const inner = keyPathAt(pair.value, offset, path)
      if (inner) return inner
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const inner = keyPathAt(node.items[i], offset, `${prefix}[${i}]`)
      if (inner) return inner
    }
  }
  return undefined
}

function syntaxError(file: string, doc: number, err: YAMLError, lines: LineCounter, yamlDoc: Document): ManifestError {
  const { line, col } = lines.linePos(err.pos[0])
  if (err.code === 'DUPLICATE_KEY') {
    const field = keyPathAt(yamlDoc.contents, err.pos[0])
    const name = field?.split('.').pop() ?? ''
    return { file, doc, line, column: col, ...(field ? { field } : {}), code: 'DuplicateKey', message: `key "${name}" already set in map` }
  }
  return { file, doc, line, column: col, code: 'YamlSyntax', message: err.message }
}

/** Options of parseYamlManifests. */
export interface ParseYamlOptions {
  /** Try the fast reader of plain block YAML first (default true; false only to compare the two in tests). */
  simple?: boolean
}

/** A plain object with an apiVersion and a kind, not a List: what collectObjects passes through unchanged. */
function isPlainManifest(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const o = v as Record<string, unknown>
  return typeof o.apiVersion === 'string' && o.apiVersion !== '' && typeof o.kind === 'string' && o.kind !== '' && !o.kind.endsWith('List')
}

/**
 * The manifests of text that parse-simple-yaml.ts reads, when every document is empty or one plain
 * object (anything that would be an error or a List goes through the full path); undefined otherwise.
 * Positions for fieldLine come from parsing the text again with the `yaml` package, on demand.
 */
function simpleManifests(text: string, file: string): { objects: ManifestObject[]; errors: ManifestError[] } | undefined {
  // ASCII only (checked by the reader), so the length is the size in bytes: no document is over the limit.
  if (text.length > MAX_DOCUMENT_BYTES) return undefined
  const docs = parseSimpleYaml(text)
  if (!docs) return undefined
  const objects: ManifestObject[] = []
  let full: { docs: Document[]; lines: LineCounter } | undefined
  const reparse = () => {
    if (!full) {
      const lines = new LineCounter()
      full = { docs: parseAllDocuments(text, { ...manifestYamlOptions, lineCounter: lines }) as Document[], lines }
    }
    return full
  }
  for (let index = 0; index < docs.length; index++) {
    const { value, line } = docs[index]
    if (value === null) continue
    if (!isPlainManifest(value)) return undefined
    objects.push({ object: value, file, doc: index, line })
    rememberLazySource(value, () => {
      const { docs: parsed, lines } = reparse()
      const node = parsed[index]?.contents as Node | null | undefined
      return node ? { node, doc: parsed[index], lines } : undefined
    })
  }
  return { objects, errors: [] }
}

/** Parse YAML text (one or more documents). Documents with errors are left out and reported. */
export function parseYamlManifests(text: string, file: string, { simple = true }: ParseYamlOptions = {}): { objects: ManifestObject[]; errors: ManifestError[] } {
  const fast = simple ? simpleManifests(text, file) : undefined
  if (fast) return fast
  const objects: ManifestObject[] = []
  const errors: ManifestError[] = []
  const guarded = guardDocumentSize(text)
  const placeholders = new Map(guarded.oversized.filter((o) => o.placeholder >= 0).map((o) => [o.placeholder, o]))
  for (const o of guarded.oversized) {
    if (o.placeholder < 0) errors.push(tooLarge(file, undefined, o.line, o.bytes))
  }
  const lines = new LineCounter()
  const docs = parseAllDocuments(guarded.text, { ...manifestYamlOptions, lineCounter: lines })
  docs.forEach((yamlDoc, index) => {
    const contents = yamlDoc.contents as Node | null
    const big = contents && isScalar(contents) && contents.range ? placeholders.get(contents.range[0]) : undefined
    if (big) {
      errors.push(tooLarge(file, index, big.line, big.bytes))
      return
    }
    if (yamlDoc.errors.length > 0) {
      for (const err of yamlDoc.errors) errors.push(syntaxError(file, index, err, lines, yamlDoc))
      return
    }
    if (contents === null) return
    const line = contents.range ? lines.linePos(contents.range[0]).line : 1
    let value: unknown
    try {
      value = plainData(yamlDoc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }))
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      if (/resource exhaustion/.test(message)) {
        errors.push({ file, doc: index, line, code: 'AliasBomb', message: `aliases expand too far (more than ${MAX_ALIAS_COUNT}); refusing a possible billion-laughs document` })
      } else {
        errors.push({ file, doc: index, line, code: 'YamlSyntax', message })
      }
      return
    }
    if (value === null || value === undefined) return
    const found = collectObjects(value, contents, { file, doc: index, yaml: yamlDoc, lines }, line)
    objects.push(...found.objects)
    errors.push(...found.errors)
  })
  return { objects, errors }
}

/** The error for a document over the size limit. */
export function tooLarge(file: string, doc: number | undefined, line: number, bytes: number): ManifestError {
  return {
    file,
    ...(doc !== undefined ? { doc } : {}),
    line,
    code: 'TooLarge',
    message: `document is ${bytes} bytes, over the limit of ${MAX_DOCUMENT_BYTES} bytes (1.5 MiB)`,
  }
}
