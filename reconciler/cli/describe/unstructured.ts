/** printUnstructuredContent and smartLabelFor: how the generic describer prints any object's fields. */
import { byteCompare } from '../../api/table/labels.js'
import type { PrefixWriter } from './prefix-writer.js'

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID'])

const isLetter = (ch: string): boolean => /\p{L}/u.test(ch)
const isLower = (ch: string): boolean => /\p{Ll}/u.test(ch)
const isUpper = (ch: string): boolean => /\p{Lu}/u.test(ch)
const isDigit = (ch: string): boolean => /\p{Nd}/u.test(ch)

/** fatih/camelcase.Split: runs of lower, upper, digit and other characters; "PDFLoader" → PDF, Loader. */
export function camelSplit(src: string): string[] {
  const runs: string[][] = []
  let last = 0
  for (const r of src) {
    const cls = isLower(r) ? 1 : isUpper(r) ? 2 : isDigit(r) ? 3 : 4
    if (cls === last) runs[runs.length - 1].push(r)
    else runs.push([r])
    last = cls
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (isUpper(runs[i][0]) && isLower(runs[i + 1][0])) {
      runs[i + 1].unshift(runs[i][runs[i].length - 1])
      runs[i].pop()
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''))
}

/** strings.Title: the first letter of each word upper-cased (words split at non-letters). */
function title(s: string): string {
  let prevLetter = false
  let out = ''
  for (const ch of s) {
    out += !prevLetter && isLetter(ch) ? ch.toUpperCase() : ch
    prevLetter = isLetter(ch) || isDigit(ch) || ch === '_'
  }
  return out
}

/** smartLabelFor: "apiVersion" → "API Version", "creationTimestamp" → "Creation Timestamp". */
export function smartLabelFor(field: string): string {
  for (const ch of field) if (!isLetter(ch) && ch !== '-') return field
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : title(p)))
    .join(' ')
}

/** Go's %v of a JSON scalar. */
function scalar(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  return String(v)
}

/**
 * printUnstructuredContent: fields sorted; maps and lists as "Label:" with their content one level
 * in; scalars as "Label:\tvalue". `skip` holds dotted paths from the root (".metadata.name").
 */
export function printUnstructured(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort(byteCompare)) {
    const value = content[field]
    const path = `${skipPrefix}.${field}`
    if (skip.includes(path)) continue
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`)
      printUnstructured(w, level + 1, value as Record<string, unknown>, path, skip)
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`)
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
          printUnstructured(w, level + 1, child as Record<string, unknown>, path, skip)
        } else {
          w.write(level + 1, `${Array.isArray(child) ? `[${child.map(scalar).join(' ')}]` : scalar(child)}\n`)
        }
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${scalar(value)}\n`)
    }
  }
}
