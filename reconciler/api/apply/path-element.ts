/**
 * Path elements, as structured-merge-diff's fieldpath names them: a field (`f:name`), the key of a
 * map-list item (`k:{"name":"web"}`, key fields sorted by name), the value of a set item
 * (`v:"x"`), or an index (`i:0`, which Kubernetes' own types never produce).
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** One step into a value. */
export type PathElement =
  | { field: string }
  | { key: [string, Json][] }
  | { value: Json }
  | { index: number }

/** A path from the root of an object. */
export type Path = PathElement[]

/** A field element. */
export const fieldPe = (name: string): PathElement => ({ field: name })

/** A map-list key element; key fields are sorted by name, as SMD's FieldList.Sort does. */
export function keyPe(fields: Record<string, Json> | [string, Json][]): PathElement {
  const entries = Array.isArray(fields) ? [...fields] : Object.entries(fields)
  entries.sort((a, b) => compareStrings(a[0], b[0]))
  return { key: entries }
}

/** Byte-wise string order (Go's strings.Compare on UTF-8). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0
  // Below U+D800, UTF-16 code unit order is code point order, which is UTF-8 byte order.
  if (!HIGH.test(a) && !HIGH.test(b)) return a < b ? -1 : 1
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

const HIGH = /[\uD800-\uFFFF]/

function typeRank(v: Json): number {
  if (typeof v === 'number') return 0
  if (typeof v === 'string') return 1
  if (typeof v === 'boolean') return 2
  if (Array.isArray(v)) return 3
  if (v !== null && typeof v === 'object') return 4
  return 5
}

/** SMD's total order on values: numbers < strings < booleans < lists < maps < null. */
export function compareValues(a: Json, b: Json): number {
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  switch (ra) {
    case 0:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
    case 1:
      return compareStrings(a as string, b as string)
    case 2:
      return a === b ? 0 : a === false ? -1 : 1
    case 3: {
      const la = a as Json[]
      const lb = b as Json[]
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i])
        if (c !== 0) return c
      }
      return la.length === lb.length ? 0 : la.length < lb.length ? -1 : 1
    }
    case 4: {
      const ea = Object.keys(a as object).sort(compareStrings)
      const eb = Object.keys(b as object).sort(compareStrings)
      for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
        const c = compareStrings(ea[i], eb[i])
        if (c !== 0) return c
        const d = compareValues((a as Record<string, Json>)[ea[i]], (b as Record<string, Json>)[eb[i]])
        if (d !== 0) return d
      }
      return ea.length === eb.length ? 0 : ea.length < eb.length ? -1 : 1
    }
    default:
      return 0
  }
}

function peRank(pe: PathElement): number {
  if ('field' in pe) return 0
  if ('key' in pe) return 1
  if ('value' in pe) return 2
  return 3
}

/** SMD's order on path elements: fields, then keys, then values, then indexes. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ra = peRank(a)
  const rb = peRank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  if ('field' in a) return compareStrings(a.field, (b as { field: string }).field)
  if ('key' in a) {
    const ka = a.key
    const kb = (b as { key: [string, Json][] }).key
    for (let i = 0; ; i++) {
      if (i >= ka.length && i >= kb.length) return 0
      if (i >= ka.length) return -1
      if (i >= kb.length) return 1
      const c = compareStrings(ka[i][0], kb[i][0])
      if (c !== 0) return c
      const d = compareValues(ka[i][1], kb[i][1])
      if (d !== 0) return d
    }
  }
  if ('value' in a) return compareValues(a.value, (b as { value: Json }).value)
  const ia = a.index
  const ib = (b as { index: number }).index
  return ia < ib ? -1 : ia > ib ? 1 : 0
}

const GO_ESCAPED = /[<>&\u2028\u2029]/

/** JSON as Go's encoder writes it: no spaces, and `<`, `>`, `&`, U+2028, U+2029 escaped. */
export function goJson(v: Json): string {
  const s = JSON.stringify(v)
  // Most values have nothing Go escapes differently: skip the replacements (a hot path of managed fields).
  if (!GO_ESCAPED.test(s)) return s
  return s
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** The fieldsV1 key of a path element (`f:image`, `k:{"name":"web"}`, `v:"x"`, `i:0`). */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return 'f:' + pe.field
  const known = serialized.get(pe)
  if (known !== undefined) return known
  const s = serializeKeyed(pe)
  serialized.set(pe, s)
  return s
}

/** The fieldsV1 key of a path element, computed afresh (for elements used once: no cache entry). */
export function pathElementKey(pe: PathElement): string {
  if ('field' in pe) return 'f:' + pe.field
  return serialized.get(pe) ?? serializeKeyed(pe)
}

/** Serialized keys of non-field elements, computed once per element object. */
const serialized = new WeakMap<PathElement, string>()

function serializeKeyed(pe: Exclude<PathElement, { field: string }>): string {
  if ('key' in pe) return 'k:{' + pe.key.map(([k, v]) => goJson(k) + ':' + goJson(v)).join(',') + '}'
  if ('value' in pe) return 'v:' + goJson(pe.value)
  return 'i:' + String(pe.index)
}

/** Parses a fieldsV1 key; undefined for an unknown element type (SMD skips those). Throws on bad input. */
export function deserializePathElement(s: string): PathElement | undefined {
  if (s.length < 2) throw new Error(`key must be 2 characters long: ${s}`)
  if (s[1] !== ':') throw new Error(`missing colon: ${s}`)
  const body = s.slice(2)
  switch (s[0]) {
    case 'f':
      return { field: body }
    case 'v':
      return { value: JSON.parse(body) as Json }
    case 'k': {
      const parsed = JSON.parse(body) as unknown
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`key is not an object: ${s}`)
      return keyPe(parsed as Record<string, Json>)
    }
    case 'i': {
      if (!/^-?\d+$/.test(body)) throw new Error(`bad index: ${s}`)
      return { index: Number(body) }
    }
    default:
      return undefined
  }
}

/** Go's `%v` of a value inside a path string (value.ToString): strings quoted, the rest as JSON. */
function valueToString(v: Json): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return '[' + v.map(valueToString).join(',') + ']'
  return '{' + Object.entries(v).map(([k, x]) => `${k}=${valueToString(x)}`).join(',') + '}'
}

/** The human form of one element, as SMD prints it: `.image`, `[name="web"]`, `[="x"]`, `[0]`. */
export function pathElementString(pe: PathElement): string {
  if ('field' in pe) return '.' + pe.field
  if ('key' in pe) return '[' + pe.key.map(([k, v]) => `${k}=${valueToString(v)}`).join(',') + ']'
  if ('value' in pe) return `[=${valueToString(pe.value)}]`
  return `[${pe.index}]`
}

/** The human form of a path, as conflict messages print it: `.spec.template.spec.containers[name="web"].image`. */
export function pathString(path: Path): string {
  return path.map(pathElementString).join('')
}

/**
 * Parses the human form back into a path (`spec.replicas` and `.spec.replicas` both work;
 * `[name="web"]`, `[containerPort=80,protocol="TCP"]`, `[="x"]`, `[0]` select list items).
 */
export function parsePath(s: string): Path {
  const out: Path = []
  let i = 0
  while (i < s.length) {
    if (s[i] === '[') {
      const end = findClose(s, i)
      out.push(parseBracket(s.slice(i + 1, end)))
      i = end + 1
      continue
    }
    if (s[i] === '.') i++
    let j = i
    while (j < s.length && s[j] !== '.' && s[j] !== '[') j++
    if (j === i) throw new Error(`empty field name in path ${JSON.stringify(s)}`)
    out.push({ field: s.slice(i, j) })
    i = j
  }
  return out
}

function findClose(s: string, open: number): number {
  let inString = false
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === ']') return i
  }
  throw new Error(`unclosed [ in path ${JSON.stringify(s)}`)
}

function parseBracket(body: string): PathElement {
  if (/^-?\d+$/.test(body)) return { index: Number(body) }
  if (body.startsWith('=')) return { value: JSON.parse(body.slice(1)) as Json }
  const fields: [string, Json][] = []
  let i = 0
  while (i < body.length) {
    const eq = body.indexOf('=', i)
    if (eq < 0) throw new Error(`bad key ${JSON.stringify(body)}`)
    const name = body.slice(i, eq)
    let j = eq + 1
    if (body[j] === '"') {
      j++
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1
      j++
    } else {
      while (j < body.length && body[j] !== ',') j++
    }
    fields.push([name, JSON.parse(body.slice(eq + 1, j)) as Json])
    i = j + 1
  }
  return keyPe(fields)
}
