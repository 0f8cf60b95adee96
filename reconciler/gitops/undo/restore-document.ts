/**
 * Put one YAML document back as it was, leaving every other byte of the file alone. The documents
 * are located with yaml's Document API (parseAllDocuments and each document's source range); the
 * target document's content node is replaced by the old one's source text. Re-serialising with
 * toString would re-flow the file, so only the node's byte range is spliced: comments before and
 * after the node, the `---` markers and the other documents stay byte-for-byte.
 */
import { parseAllDocuments, type Document } from 'yaml'
import { UndoError } from './errors.js'

/** Which document: a kind and name, and the namespace (a document without one is in `defaultNamespace`). */
export interface DocumentMatch {
  kind: string
  name: string
  namespace: string
  defaultNamespace: string
}

/** The range of a document's content node in its source, and the node's text. */
interface Located {
  start: number
  end: number
  text: string
}

function matches(doc: Document.Parsed, m: DocumentMatch): boolean {
  if (doc.errors.length || !doc.contents) return false
  const kind = doc.getIn(['kind'])
  const name = doc.getIn(['metadata', 'name'])
  const ns = doc.getIn(['metadata', 'namespace'])
  return kind === m.kind && name === m.name && (typeof ns === 'string' && ns !== '' ? ns : m.defaultNamespace) === m.namespace
}

/** The content node of the document matching `m` in `text` (undefined: none). */
export function locateDocument(text: string, m: DocumentMatch, file = ''): Located | undefined {
  const docs = parseAllDocuments(text)
  if (!Array.isArray(docs)) return undefined // an empty stream
  const found = docs.filter((d) => matches(d, m))
  if (found.length > 1) throw new UndoError('DocumentNotFound', `${file}: ${m.kind} "${m.name}" appears in ${found.length} documents`, { file })
  const doc = found[0]
  const range = doc?.contents?.range
  if (!doc || !range) return undefined
  // The node ends at its value end; the document's value end also takes the node's trailing newline.
  const start = range[0]
  const end = Math.max(range[1], doc.range[1])
  return { start, end, text: text.slice(start, end) }
}

/** `current` with the document matching `m` replaced by that document's content in `previous`. */
export function restoreDocument({ current, previous, match, files = { current: '', previous: '' } }: { current: string; previous: string; match: DocumentMatch; files?: { current: string; previous: string } }): { text: string; changed: boolean } {
  const was = locateDocument(previous, match, files.previous)
  if (!was) throw new UndoError('DocumentNotFound', `${files.previous}: no document for ${match.kind} "${match.name}" in that commit`, { file: files.previous })
  const now = locateDocument(current, match, files.current)
  if (!now) throw new UndoError('DocumentNotFound', `${files.current}: no document for ${match.kind} "${match.name}" on the branch now`, { file: files.current })
  let replacement = was.text
  if (now.text.endsWith('\n') && !replacement.endsWith('\n')) replacement += '\n'
  if (!now.text.endsWith('\n') && replacement.endsWith('\n') && now.end < current.length) replacement = replacement.replace(/\n+$/, '')
  const text = current.slice(0, now.start) + replacement + current.slice(now.end)
  return { text, changed: text !== current }
}
