/**
 * Field selectors (`?fieldSelector=`, `kubectl --field-selector`) as apimachinery's fields package
 * parses them: comma-separated `field=value`, `field==value`, `field!=value` terms, with `\,`, `\=`
 * and `\\` escapes in values; then the kind's field label conversion, as kube-apiserver applies it.
 */
import { badRequest } from '../errors.js'
import { convertFieldLabel, selectableFields } from './field-sets.js'

export { selectableFields, supportedFields } from './field-sets.js'

/** One term. `=` and `==` both parse to `=`. */
export interface FieldRequirement {
  readonly field: string
  readonly operator: '=' | '!='
  readonly value: string
}

/** A parsed field selector; requirements are ANDed, in the order of their sorted source terms. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[]
  /** Matches everything. */
  readonly empty: boolean
  /** Kubernetes' text: terms joined by `,`, values escaped. */
  toString(): string
  /** The value an `=` term on `field` requires. */
  requiresExactMatch(field: string): string | undefined
}

/** Escape `\`, `,` and `=` in a value (fields.EscapeValue). */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c)
}

/** Undo escapeFieldValue; an unknown escape or a bare `,` or `=` is an error (fields.UnescapeValue). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s
  let out = ''
  let inSlash = false
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`)
      out += c
      inSlash = false
      continue
    }
    if (c === '\\') inSlash = true
    // Go prints the rune with %v: its code point number.
    else if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`)
    else out += c
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\')
  return out
}

/** Split on commas that are not escaped; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return []
  const terms: string[] = []
  let start = 0
  let inSlash = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (inSlash) inSlash = false
    else if (c === '\\') inSlash = true
    else if (c === ',') {
      terms.push(s.slice(start, i))
      start = i + 1
    }
  }
  terms.push(s.slice(start))
  return terms
}

const termOperators = ['!=', '==', '='] as const

/** The first operator occurrence splits a term; the field itself has no escapes. */
function splitTerm(term: string): [string, (typeof termOperators)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)]
    }
  }
  return undefined
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

class Selector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  get empty(): boolean {
    return this.requirements.length === 0
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',')
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value
  }
}

/** Parse a field selector; throws `badRequest` with Kubernetes' message. `""` matches everything. */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort(byteOrder)
  const reqs: FieldRequirement[] = []
  for (const part of parts) {
    if (part === '') continue
    const split = splitTerm(part)
    if (!split) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`)
    const [field, op, rhs] = split
    reqs.push({ field, operator: op === '!=' ? '!=' : '=', value: unescapeFieldValue(rhs) })
  }
  return new Selector(reqs)
}

/**
 * The selector with each field converted for `kind` (Pod `spec.host` → `spec.nodeName`). Throws
 * `badRequest` for a field the kind does not support, worded as kube-apiserver words it
 * (`field label not supported: X`, or `"X" is not a known field selector: only …` for kinds with
 * no registered conversion).
 */
export function convertFieldSelector(sel: FieldSelector, kind: string): FieldSelector {
  const reqs = sel.requirements.map((r) => {
    const c = convertFieldLabel(kind, r.field)
    if ('error' in c) throw badRequest(c.error)
    return { ...r, field: c.label }
  })
  return new Selector(reqs)
}

/** Whether an object of `kind` satisfies `sel` (converted for the kind; throws as convertFieldSelector). */
export function fieldSelectorMatches(sel: FieldSelector, kind: string, obj: unknown): boolean {
  if (sel.empty) return true
  const converted = convertFieldSelector(sel, kind)
  const fields = selectableFields(kind, obj)
  return converted.requirements.every((r) => {
    const actual = fields[r.field] ?? ''
    return r.operator === '=' ? actual === r.value : actual !== r.value
  })
}
