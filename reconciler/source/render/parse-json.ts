/** Parse a JSON manifest file (one object, or a List) into objects, with positions. */
import { LineCounter, parseDocument, type Node } from 'yaml'
import { collectObjects } from './collect-objects.js'
import type { ManifestError } from './errors.js'
import { MAX_DOCUMENT_BYTES } from './limits.js'
import { keyPathAt, tooLarge } from './parse-yaml.js'
import type { ManifestObject } from './types.js'

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 }
}

/** Parse JSON text. Values come from `JSON.parse`; lines (and duplicate keys) from reading it as YAML. */
export function parseJsonManifest(text: string, file: string): { objects: ManifestObject[]; errors: ManifestError[] } {
  if (text.trim() === '') return { objects: [], errors: [] }
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_DOCUMENT_BYTES) return { objects: [], errors: [tooLarge(file, 0, 1, bytes)] }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const m = /at position (\d+)/.exec(message)
    const { line, column } = lineAndColumn(text, m ? Number(m[1]) : text.length)
    return { objects: [], errors: [{ file, doc: 0, line, column, code: 'JsonSyntax', message: message.replace(/ \(line \d+ column \d+\)$/, '') }] }
  }
  // JSON is YAML's flow style, so the yaml parser gives node ranges for lines; a file it cannot
  // read that way (say, tab-indented with odd escapes) just has no positions beyond line 1.
  const lines = new LineCounter()
  const yamlDoc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, version: '1.2' })
  const duplicate = yamlDoc.errors.find((e) => e.code === 'DUPLICATE_KEY')
  if (duplicate) {
    const { line, col } = lines.linePos(duplicate.pos[0])
    const field = keyPathAt(yamlDoc.contents, duplicate.pos[0])
    const name = field?.split('.').pop() ?? ''
    return { objects: [], errors: [{ file, doc: 0, line, column: col, ...(field ? { field } : {}), code: 'DuplicateKey', message: `duplicate field "${name}"` }] }
  }
  const usable = yamlDoc.errors.length === 0
  const root = usable ? (yamlDoc.contents as Node | null) ?? undefined : undefined
  const line = root?.range ? lines.linePos(root.range[0]).line : lineAndColumn(text, text.length - text.trimStart().length).line
  if (value === null) return { objects: [], errors: [] }
  return collectObjects(value, root, usable ? { file, doc: 0, yaml: yamlDoc, lines } : { file, doc: 0 }, line)
}
