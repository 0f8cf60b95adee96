/**
 * A fast reader for the plain block YAML that almost every manifest is written in, giving exactly
 * what the `yaml` package gives with manifestYamlOptions — or `undefined` as soon as the text uses
 * anything else (anchors, aliases, tags, non-empty flow collections, block scalars, multi-line or escaped
 * scalars, merge keys, duplicate keys, non-ASCII text, …), so that the caller parses it with the
 * `yaml` package instead. Scalars are resolved by the same schema's tags, so `yes`, `0644` and
 * `1_000` mean what they mean to the `yaml` package. A differential test pins the two together.
 */
import { Document, isScalar } from 'yaml'
import { manifestYamlOptions } from './yaml-options.js'

/** One document of the text: its value (null for an empty document) and the 1-based line its content starts on. */
export interface SimpleDocument {
  value: unknown
  line: number
}

/** Raised inside the reader when the text needs the full parser. */
class NotSimple extends Error {}

const notSimple = (): never => {
  throw new NotSimple()
}

interface Line {
  /** Column of the first character that is not a space. */
  indent: number
  /** The text from `indent` on, trailing spaces kept. */
  text: string
  /** 1-based line number. */
  no: number
}

// The schema the `yaml` package composes manifests with: its scalar tags, in its order of trial.
const schema = new Document(null, manifestYamlOptions).schema
type ScalarTag = { default?: boolean | 'key'; test?: RegExp; resolve: (value: string, onError: (msg: string) => void, options: object) => unknown; collection?: string }
const scalarTags = (schema.tags as unknown as ScalarTag[]).filter((t) => !t.collection)
const resolved = new Map<string, unknown>()
const resolveOptions = { ...manifestYamlOptions, intAsBigInt: false }

/** A plain scalar's value, as the schema's first matching tag resolves it (strings otherwise). */
function resolvePlain(source: string): unknown {
  if (resolved.has(source)) return resolved.get(source)
  const tag = scalarTags.find((t) => t.default === true && t.test?.test(source))
  let value: unknown = source
  if (tag) {
    let failed = false
    const res = tag.resolve(source, () => (failed = true), resolveOptions)
    if (failed) notSimple()
    value = isScalar(res) ? res.value : res
    if (typeof value === 'bigint' || (typeof value === 'object' && value !== null)) notSimple()
  }
  if (resolved.size < 10_000) resolved.set(source, value)
  return value
}

/** Characters that may not start a plain scalar here (the YAML indicators, and quotes handled apart). */
const INDICATOR = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`'])

/** Index after a quoted scalar starting at `text[0]`, and its value; only single-line, escape-free double quotes. */
function quoted(text: string): { value: string; end: number } {
  const q = text[0]
  if (q === '"') {
    const close = text.indexOf('"', 1)
    if (close < 0) notSimple()
    const value = text.slice(1, close)
    if (value.includes('\\')) notSimple()
    return { value, end: close + 1 }
  }
  let value = ''
  let at = 1
  for (;;) {
    const close = text.indexOf("'", at)
    if (close < 0) notSimple()
    value += text.slice(at, close)
    if (text[close + 1] !== "'") return { value, end: close + 1 }
    value += "'"
    at = close + 2
  }
}

/** Nothing but spaces and an optional comment (`#` after a space) from `at` on. */
function restIsBlank(text: string, at: number): boolean {
  let i = at
  while (text[i] === ' ') i++
  return i === text.length || (text[i] === '#' && i > at)
}

/** The value of a scalar that takes the whole of `text` (a comment may follow). */
function scalarValue(text: string): unknown {
  const c = text[0]
  if (c === '"' || c === "'") {
    const q = quoted(text)
    if (!restIsBlank(text, q.end)) notSimple()
    return q.value
  }
  // Empty flow collections (`args: []`, `resources: {}`) are common enough to read here.
  if ((c === '[' || c === '{') && text[1] === (c === '[' ? ']' : '}') && restIsBlank(text, 2)) return c === '[' ? [] : {}
  if (INDICATOR.has(c) && !(c === '-' && text.length > 1 && text[1] !== ' ')) notSimple()
  const hash = text.indexOf(' #')
  const plain = (hash < 0 ? text : text.slice(0, hash)).trimEnd()
  // A `: ` or a final `:` would make it a mapping: not a scalar at all.
  if (plain.includes(': ') || plain.endsWith(':')) notSimple()
  return resolvePlain(plain)
}

/** Split `key: rest` (rest may be empty); undefined when the text is not a mapping entry. */
function splitEntry(text: string): { key: string; rest: string } | undefined {
  const c = text[0]
  if (c === '"' || c === "'") {
    const q = quoted(text)
    let i = q.end
    while (text[i] === ' ') i++
    if (text[i] !== ':') return undefined
    if (i + 1 < text.length && text[i + 1] !== ' ') notSimple()
    return { key: q.value, rest: text.slice(i + 1).trimStart() }
  }
  let colon = -1
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    if (i + 1 === text.length || text[i + 1] === ' ') {
      colon = i
      break
    }
  }
  if (colon < 0) return undefined
  const keyText = text.slice(0, colon).trimEnd()
  if (keyText === '' || keyText.includes(' #') || (INDICATOR.has(keyText[0]) && !(keyText[0] === '-' && keyText.length > 1 && keyText[1] !== ' '))) notSimple()
  const key = resolvePlain(keyText)
  if (typeof key !== 'string') notSimple()
  return { key: key as string, rest: text.slice(colon + 1).trimStart() }
}

/** A reader over the content lines of one document. */
class BlockReader {
  at = 0
  constructor(private readonly lines: Line[]) {}

  get done(): boolean {
    return this.at >= this.lines.length
  }

  /** The block (mapping or sequence) whose first line is the current one, at that line's indent. */
  block(): unknown {
    const line = this.lines[this.at]
    return isSeqItem(line.text) ? this.seq(line.indent) : this.map(line.indent)
  }

  /** The value of an entry with nothing after its `:`: the block below it, a sequence at the same indent, or null. */
  nested(parentIndent: number, seqAllowedAtParent: boolean): unknown {
    if (this.done) return null
    const next = this.lines[this.at]
    if (next.indent > parentIndent) return this.block()
    if (seqAllowedAtParent && next.indent === parentIndent && isSeqItem(next.text)) return this.seq(parentIndent)
    return null
  }

  /** After a scalar on the current line: the next line may not be indented deeper (a multi-line scalar). */
  endScalar(indent: number): void {
    this.at++
    if (!this.done && this.lines[this.at].indent > indent) notSimple()
  }

  map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    while (!this.done) {
      const line = this.lines[this.at]
      if (line.indent < indent) break
      if (line.indent > indent || isSeqItem(line.text)) notSimple()
      const entry = splitEntry(line.text)
      if (!entry || entry.key === '<<' || entry.key === '__proto__' || Object.prototype.hasOwnProperty.call(out, entry.key)) notSimple()
      const { key, rest } = entry!
      if (rest === '' || rest[0] === '#') {
        this.at++
        out[key] = this.nested(indent, true)
      } else {
        out[key] = scalarValue(rest)
        this.endScalar(indent)
      }
    }
    return out
  }

  seq(indent: number): unknown[] {
    const out: unknown[] = []
    while (!this.done) {
      const line = this.lines[this.at]
      if (line.indent < indent || (line.indent === indent && !isSeqItem(line.text))) break
      if (line.indent > indent) notSimple()
      let i = 1
      while (line.text[i] === ' ') i++
      const rest = line.text.slice(i)
      if (rest === '' || rest[0] === '#') {
        this.at++
        out.push(this.nested(indent, false))
        continue
      }
      if (isSeqItem(rest)) notSimple()
      if (splitEntry(rest)) {
        // `- key: value`: a mapping whose entries sit at the column of its first key.
        this.lines[this.at] = { indent: line.indent + i, text: rest, no: line.no }
        out.push(this.map(line.indent + i))
      } else {
        out.push(scalarValue(rest))
        this.endScalar(indent)
      }
    }
    return out
  }
}

function isSeqItem(text: string): boolean {
  return text[0] === '-' && (text.length === 1 || text[1] === ' ')
}

/** The documents of `text`, or undefined when it needs the full YAML parser. */
export function parseSimpleYaml(text: string): SimpleDocument[] | undefined {
  // ASCII without tabs or carriage returns only.
  if (/[^\n\x20-\x7e]/.test(text)) return undefined
  try {
    const docs: Line[][] = []
    let current: Line[] = []
    let explicit = false
    const raw = text.split('\n')
    for (let n = 0; n < raw.length; n++) {
      const t = raw[n]
      if (t.startsWith('---') || t.startsWith('...')) {
        if (t.startsWith('...') || !restIsBlank(t, 3)) return undefined
        // The implicit first document exists only when it has content.
        if (explicit || current.length) docs.push(current)
        current = []
        explicit = true
        continue
      }
      let indent = 0
      while (t.charCodeAt(indent) === 32) indent++
      if (indent === t.length || t[indent] === '#') continue
      current.push({ indent, text: t.slice(indent).trimEnd(), no: n + 1 })
    }
    if (explicit || current.length) docs.push(current)
    return docs.map((lines) => {
      if (!lines.length) return { value: null, line: 0 }
      const reader = new BlockReader(lines)
      const line = lines[0].no
      const value = reader.block()
      if (!reader.done) notSimple()
      return { value, line }
    })
  } catch (err) {
    if (err instanceof NotSimple) return undefined
    throw err
  }
}
