/**
 * The YAML text of a normalized object as a plan diff shows it: `yaml`'s stringify with
 * `lineWidth: 0`. Plain JSON data of the usual shapes (maps, lists, single-line ASCII strings,
 * safe integers, booleans, null) is written here directly, byte for byte as `yaml` writes it and
 * many times faster (a cold sync's 10,000 creates each have a diff); anything else — multi-line or
 * non-ASCII strings, strings `yaml` would single-quote or escape, fractions, keys that need quotes —
 * goes to `yaml` itself. A differential test pins the two together.
 */
import { Document, stringify } from 'yaml'

type Tag = { default?: boolean | 'key'; tag?: string; test?: RegExp }
// The tags of the schema stringify writes with (YAML 1.2 core): a string one of them would read as
// something else is quoted.
const otherTags = (new Document().schema.tags as unknown as Tag[]).filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)

/** Raised when the value needs `yaml`'s stringify. */
class NotPlain extends Error {}

const notPlain = (): never => {
  throw new NotPlain()
}

// yaml's plainString: what may not be written plain (an indicator first, `: `, ` #`, a space or a
// colon last, …), for single-line text.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/

/** A string as stringify writes it, plain or double-quoted. */
function str(value: string, key: boolean): string {
  // Printable ASCII only: no escapes, no block scalars, no document markers to think about.
  if (!/^[\x20-\x7e]*$/.test(value) || value.startsWith('---') || value.startsWith('...')) notPlain()
  const quote = value === '' || NOT_PLAIN.test(value) || otherTags.some((t) => t.test!.test(value))
  if (!quote) return value
  if (key || value.includes('"') || value.includes('\\')) notPlain()
  return `"${value}"`
}

function scalar(v: unknown): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return str(v, false)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v)
  return notPlain()
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The lines of a non-empty map or list at `indent`. */
function block(v: Record<string, unknown> | unknown[], indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if ((isMap(item) && Object.keys(item).length) || (Array.isArray(item) && item.length)) {
        // `- ` takes the place of the first line's indent (the item's own block sits two deeper).
        const at = out.length
        block(item as Record<string, unknown> | unknown[], `${indent}  `, out)
        out[at] = `${indent}- ${out[at].slice(indent.length + 2)}`
      } else out.push(`${indent}- ${inline(item)}`)
    }
    return
  }
  for (const key of Object.keys(v)) {
    const item = v[key]
    if (item === undefined) notPlain()
    // yaml writes a key over 1,024 characters as an explicit `? key`.
    if (key.length > 1000) notPlain()
    const k = str(key, true)
    if ((isMap(item) && Object.keys(item).length) || (Array.isArray(item) && item.length)) {
      out.push(`${indent}${k}:`)
      block(item as Record<string, unknown> | unknown[], `${indent}  `, out)
    } else out.push(`${indent}${k}: ${inline(item)}`)
  }
}

/** A scalar, or an empty map or list, on the line of its key or dash. */
function inline(v: unknown): string {
  if (Array.isArray(v)) return '[]'
  if (isMap(v)) return '{}'
  return scalar(v)
}

/** `stringify(obj, { lineWidth: 0 })`, written directly when the data allows. */
export function planYamlText(obj: Record<string, unknown>): string {
  if (Object.keys(obj).length) {
    try {
      const out: string[] = []
      block(obj, '', out)
      return out.join('\n') + '\n'
    } catch (err) {
      if (!(err instanceof NotPlain)) throw err
    }
  }
  return stringify(obj, { lineWidth: 0 })
}
