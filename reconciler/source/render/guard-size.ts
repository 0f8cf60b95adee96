/** Refuse oversized documents before the YAML parser spends time on them. */
import { MAX_DOCUMENT_BYTES } from './limits.js'

/** A document that was too large: where it started, and where its placeholder sits in the new text. */
export interface OversizedDocument {
  /** Offset of the chunk in the original (and the returned) text. */
  start: number
  /** 1-based line where the chunk starts. */
  line: number
  /** Size of the chunk in UTF-8 bytes. */
  bytes: number
  /** Offset of the `~` placeholder that stands for it, or -1 when none was needed. */
  placeholder: number
}

// A line that starts with `---` or `...` followed by a space, a tab or the line end is a document
// marker wherever it appears (YAML forbids such a line inside any scalar), so splitting on these
// lines finds the documents without parsing them.
const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm

/** Byte length of `text` in UTF-8, without allocating a buffer. */
function utf8Length(text: string, start: number, end: number): number {
  let n = 0
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/**
 * Find documents larger than `limit` bytes and blank them out, keeping every newline so that the
 * lines of the other documents do not move. A blanked document becomes a single `~` (null), so the
 * parser still counts it as a document and its index stays right.
 */
export function guardDocumentSize(text: string, limit = MAX_DOCUMENT_BYTES): { text: string; oversized: OversizedDocument[] } {
  if (text.length <= limit / 3 && utf8Length(text, 0, text.length) <= limit) return { text, oversized: [] }
  const starts = [0]
  for (const m of text.matchAll(marker)) if (m.index !== 0) starts.push(m.index)
  const oversized: OversizedDocument[] = []
  let out = ''
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]
    const end = i + 1 < starts.length ? starts[i + 1] : text.length
    const bytes = utf8Length(text, start, end)
    if (bytes <= limit) {
      out += text.slice(start, end)
      continue
    }
    const chunk = text.slice(start, end)
    const firstEol = chunk.indexOf('\n')
    const rest = firstEol < 0 ? '' : chunk.slice(firstEol).replace(/[^\n]/g, '')
    let head: string
    let placeholder: number
    if (chunk.startsWith('---')) {
      head = '--- ~'
      placeholder = out.length + 4
    } else if (chunk.startsWith('...')) {
      head = '...'
      placeholder = -1
    } else {
      head = '~'
      placeholder = out.length
    }
    const line = out.split('\n').length
    oversized.push({ start, line, bytes, placeholder })
    out += head + rest
  }
  return { text: out, oversized }
}
