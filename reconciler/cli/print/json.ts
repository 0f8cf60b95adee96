/** -o json: Go's json.MarshalIndent with 4 spaces, as kubectl's JSONPrinter writes it. */
import { goNumber } from './go-format.js'

/** Go's json string escaping: like JSON.stringify, plus <, >, & and U+2028/2029 escaped. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Go's byte order of map keys (encoding/json sorts map keys). */
const compareKeys = (a: string, b: string): number => {
  const ba = Buffer.from(a, 'utf8')
  const bb = Buffer.from(b, 'utf8')
  return Buffer.compare(ba, bb)
}

/** A JSON number as Go's encoder writes it (whole numbers are int64 in unstructured content). */
function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`)
  if (Number.isInteger(n)) return goNumber(n)
  return JSON.stringify(n)
}

function encode(v: unknown, indent: string, step: string): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return goJsonString(v)
  if (typeof v === 'number') return jsonNumber(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  const inner = indent + step
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[\n${v.map((x) => inner + encode(x, inner, step)).join(',\n')}\n${indent}]`
  }
  const o = v as Record<string, unknown>
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(compareKeys)
  if (keys.length === 0) return '{}'
  return `{\n${keys.map((k) => `${inner}${goJsonString(k)}: ${encode(o[k], inner, step)}`).join(',\n')}\n${indent}}`
}

/** The -o json text of a value: sorted keys, 4-space indent, trailing newline. */
export function toKubectlJson(value: unknown): string {
  return encode(value, '', '    ') + '\n'
}

/** Compact Go JSON (json.Marshal): sorted keys, no spaces; used for JSONPath results. */
export function toGoCompactJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return goJsonString(value)
  if (typeof value === 'number') return jsonNumber(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map(toGoCompactJson).join(',')}]`
  const o = value as Record<string, unknown>
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(compareKeys)
  return `{${keys.map((k) => `${goJsonString(k)}:${toGoCompactJson(o[k])}`).join(',')}}`
}
