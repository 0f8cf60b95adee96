/**
 * The error Go's `json.Unmarshal(b, &map[string]interface{}{})` gives for a document, worded as Go's
 * scanner words it. kube-apiserver shows it for a malformed `.dockerconfigjson` or `.dockercfg`.
 */

class SyntaxErr extends Error {}

/** Go's quoteChar: `'x'`, with `'\''` and `'"'` special. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`
  if (c === '"') return `'"'`
  const q = JSON.stringify(c)
  return `'${q.slice(1, -1)}'`
}

const ws = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r'
const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const hex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c)

class Scanner {
  i = 0
  constructor(readonly s: string) {}
  peek(): string | undefined {
    return this.s[this.i]
  }
  /** The next character, or the end-of-input error. */
  next(): string {
    const c = this.s[this.i++]
    if (c === undefined) throw new SyntaxErr('unexpected end of JSON input')
    return c
  }
  bad(c: string, context: string): never {
    throw new SyntaxErr(`invalid character ${quoteChar(c)} ${context}`)
  }
  skipWs(): void {
    while (ws(this.peek())) this.i++
  }
  /** A value; returns its Go kind name. */
  value(): string {
    this.skipWs()
    const c = this.next()
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    if (c === '"') return this.string(), 'string'
    if (c === '-' || digit(c)) return this.number(c), 'number'
    if (c === 't') return this.literal('true'), 'bool'
    if (c === 'f') return this.literal('false'), 'bool'
    if (c === 'n') return this.literal('null'), 'null'
    return this.bad(c, 'looking for beginning of value')
  }
  object(): string {
    this.skipWs()
    let c = this.next()
    if (c === '}') return 'object'
    for (;;) {
      if (c !== '"') this.bad(c, 'looking for beginning of object key string')
      this.string()
      this.skipWs()
      c = this.next()
      if (c !== ':') this.bad(c, 'after object key')
      this.value()
      this.skipWs()
      c = this.next()
      if (c === '}') return 'object'
      if (c !== ',') this.bad(c, 'after object key:value pair')
      this.skipWs()
      c = this.next()
    }
  }
  array(): string {
    this.skipWs()
    if (this.peek() === ']') {
      this.i++
      return 'array'
    }
    for (;;) {
      this.value()
      this.skipWs()
      const c = this.next()
      if (c === ']') return 'array'
      if (c !== ',') this.bad(c, 'after array element')
    }
  }
  string(): void {
    for (;;) {
      const c = this.next()
      if (c === '"') return
      if (c === '\\') {
        const e = this.next()
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            const h = this.next()
            if (!hex(h)) this.bad(h, 'in \\u hexadecimal character escape')
          }
        } else if (!'bfnrt\\/"'.includes(e)) this.bad(e, 'in string escape code')
      } else if (c < ' ') this.bad(c, 'in string literal')
    }
  }
  number(first: string): void {
    let c: string | undefined = first
    if (c === '-') {
      c = this.next()
      if (!digit(c)) this.bad(c, 'in numeric literal')
    }
    if (c !== '0') while (digit(this.peek())) this.i++
    if (this.peek() === '.') {
      this.i++
      const d = this.next()
      if (!digit(d)) this.bad(d, 'after decimal point in numeric literal')
      while (digit(this.peek())) this.i++
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i++
      let d = this.next()
      if (d === '+' || d === '-') d = this.next()
      if (!digit(d)) this.bad(d, 'in exponent of numeric literal')
      while (digit(this.peek())) this.i++
    }
  }
  literal(word: string): void {
    for (let k = 1; k < word.length; k++) {
      const c = this.next()
      if (c !== word[k]) this.bad(c, `in literal ${word} (expecting ${quoteChar(word[k])})`)
    }
  }
}

/** Undefined when `text` unmarshals into a Go map; otherwise Go's error text. */
export function goJsonObjectError(text: string): string | undefined {
  const sc = new Scanner(text)
  let kind: string
  try {
    kind = sc.value()
    sc.skipWs()
    const rest = sc.peek()
    if (rest !== undefined) sc.bad(rest, 'after top-level value')
  } catch (e) {
    if (e instanceof SyntaxErr) return e.message
    throw e
  }
  if (kind === 'object' || kind === 'null') return undefined
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`
}
