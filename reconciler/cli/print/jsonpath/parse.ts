/**
 * The parser of kubectl's JSONPath templates, following k8s.io/client-go/util/jsonpath/parser.go:
 * text outside {…} is printed as is; inside are fields (.a.b, ['a']), arrays ([0], [1:3], [*]),
 * unions ([0,2]), filters ([?(@.x=="y")]), recursive descent (..), quoted strings, and the
 * range/end identifiers.
 */
import { newList, type ListNode, type Node, type SliceParam } from './nodes.js'

/** A template that does not parse. */
export class JsonPathParseError extends Error {
  override name = 'JsonPathParseError'
}

const isSpace = (r: string): boolean => r === ' ' || r === '\t'
const isEndOfLine = (r: string): boolean => r === '\r' || r === '\n'
const isAlphaNumeric = (r: string): boolean => r === '_' || /[\p{L}\p{Nd}]/u.test(r)
const isDigit = (r: string): boolean => /\p{Nd}/u.test(r)
const EOF = ''

/** isTerminator: a character that ends a field name or identifier. */
const isTerminator = (r: string): boolean =>
  isSpace(r) || isEndOfLine(r) || r === EOF || '.,[]$@{}'.includes(r)

const dictKeyRex = /^'([^']*)'$/
const sliceOperatorRex = /^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$/
const filterRex = /^([^!<>=]+)([!<>=]+)(.+?)$/s

/** Go's strconv.UnquoteChar-based unquoting of "…" or '…' (UnquoteExtend). */
export function unquoteExtend(s: string): string {
  const n = s.length
  if (n < 2) throw new JsonPathParseError('invalid syntax')
  const quote = s[0]
  if (quote !== s[n - 1] || (quote !== '"' && quote !== "'")) throw new JsonPathParseError('invalid syntax')
  const body = s.slice(1, -1)
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c === quote) throw new JsonPathParseError('invalid syntax')
    if (c !== '\\') { out += c; continue }
    const e = body[++i]
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }
    if (e === undefined) throw new JsonPathParseError('invalid syntax')
    if (simple[e] !== undefined) { out += simple[e]; continue }
    if (e === quote) { out += e; continue }
    const hex = (len: number): string => {
      const h = body.slice(i + 1, i + 1 + len)
      if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) throw new JsonPathParseError('invalid syntax')
      i += len
      return h
    }
    if (e === 'x') { out += String.fromCharCode(parseInt(hex(2), 16)); continue }
    if (e === 'u') { out += String.fromCodePoint(parseInt(hex(4), 16)); continue }
    if (e === 'U') { out += String.fromCodePoint(parseInt(hex(8), 16)); continue }
    if (e >= '0' && e <= '7') {
      const o = body.slice(i, i + 3)
      if (!/^[0-7]{3}$/.test(o)) throw new JsonPathParseError('invalid syntax')
      i += 2
      out += String.fromCharCode(parseInt(o, 8))
      continue
    }
    throw new JsonPathParseError('invalid syntax')
  }
  return out
}

class Parser {
  root: ListNode = newList()
  input = ''
  pos = 0
  start = 0
  width = 0

  parse(text: string): ListNode {
    this.input = text
    this.root = newList()
    this.pos = 0
    this.start = 0
    this.parseText(this.root)
    return this.root
  }

  consumeText(): string {
    const v = this.input.slice(this.start, this.pos)
    this.start = this.pos
    return v
  }

  next(): string {
    if (this.pos >= this.input.length) { this.width = 0; return EOF }
    const cp = this.input.codePointAt(this.pos)!
    const r = String.fromCodePoint(cp)
    this.width = r.length
    this.pos += this.width
    return r
  }

  peek(): string {
    const r = this.next()
    this.backup()
    return r
  }

  backup(): void { this.pos -= this.width }

  parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() })
        return this.parseLeftDelim(cur)
      }
      if (this.next() === EOF) break
    }
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() })
  }

  parseLeftDelim(cur: ListNode): void {
    this.pos += 1
    this.consumeText()
    const node = newList()
    cur.nodes.push(node)
    this.parseInsideAction(node)
  }

  parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.input.slice(this.pos)
      if (rest.startsWith('}')) return this.parseRightDelim()
      if (rest.startsWith('[?(')) return this.parseFilter(cur)
      if (rest.startsWith('..')) return this.parseRecursive(cur)
      const r = this.next()
      if (r === EOF || isEndOfLine(r)) throw new JsonPathParseError('unclosed action')
      if (r === ' ') { this.consumeText(); continue }
      if (r === '@' || r === '$') { this.consumeText(); continue }
      if (r === '[') return this.parseArray(cur)
      if (r === '"' || r === "'") return this.parseQuote(cur, r)
      if (r === '.') return this.parseField(cur)
      if (r === '+' || r === '-' || isDigit(r)) { this.backup(); return this.parseNumber(cur) }
      if (isAlphaNumeric(r)) { this.backup(); return this.parseIdentifier(cur) }
      throw new JsonPathParseError(`unrecognized character in action: U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${r}'`)
    }
  }

  parseRightDelim(): void {
    this.pos += 1
    this.consumeText()
    this.parseText(this.root)
  }

  parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next()
      if (isTerminator(r)) { this.backup(); break }
    }
    const value = this.consumeText()
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' })
    else cur.nodes.push({ type: 'identifier', name: value })
    this.parseInsideAction(cur)
  }

  parseRecursive(cur: ListNode): void {
    const last = cur.nodes[cur.nodes.length - 1]
    if (last && last.type === 'recursive') throw new JsonPathParseError('invalid multiple recursive descent')
    this.pos += 2
    this.consumeText()
    cur.nodes.push({ type: 'recursive' })
    if (isAlphaNumeric(this.peek())) return this.parseField(cur)
    this.parseInsideAction(cur)
  }

  parseNumber(cur: ListNode): void {
    let r = this.peek()
    if (r === '+' || r === '-') this.next()
    for (;;) {
      r = this.next()
      if (r !== '.' && !isDigit(r)) { this.backup(); break }
    }
    const value = this.consumeText()
    if (/^[-+]?\d+$/.test(value)) {
      cur.nodes.push({ type: 'int', value: parseInt(value, 10) })
      return this.parseInsideAction(cur)
    }
    if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(value)) {
      cur.nodes.push({ type: 'float', value: parseFloat(value) })
      return this.parseInsideAction(cur)
    }
    throw new JsonPathParseError(`cannot parse number ${value}`)
  }

  parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next()
      if (r === EOF || r === '\n') throw new JsonPathParseError('unterminated array')
      if (r === ']') break
    }
    let text = this.consumeText()
    text = text.slice(1, -1)
    if (text === '*') text = ':'

    const strs = text.split(',')
    if (strs.length > 1) {
      const union: ListNode[] = strs.map((s) => parseAction(`[${s.trim()}]`))
      cur.nodes.push({ type: 'union', nodes: union })
      return this.parseInsideAction(cur)
    }

    const dict = dictKeyRex.exec(text)
    if (dict) {
      for (const n of parseAction(`.${dict[1]}`).nodes) cur.nodes.push(n)
      return this.parseInsideAction(cur)
    }

    const m = sliceOperatorRex.exec(text)
    if (!m) throw new JsonPathParseError(`invalid array index ${text}`)
    const value = m.slice(1).map((v) => v ?? '')
    const params: [SliceParam, SliceParam, SliceParam] = [{ value: 0, known: false }, { value: 0, known: false }, { value: 0, known: false }]
    for (let i = 0; i < 3; i++) {
      if (value[i] !== '') {
        if (i > 0) value[i] = value[i].slice(1)
        if (i > 0 && value[i] === '') {
          params[i] = { value: 0, known: false }
        } else {
          if (!/^[-+]?\d+$/.test(value[i])) throw new JsonPathParseError(`array index ${value[i]} is not a number`)
          params[i] = { value: parseInt(value[i], 10), known: true }
        }
      } else if (i === 1) {
        params[i] = { value: params[0].value + 1, known: true, derived: true }
      } else {
        params[i] = { value: 0, known: false }
      }
    }
    cur.nodes.push({ type: 'array', params })
    this.parseInsideAction(cur)
  }

  parseFilter(cur: ListNode): void {
    this.pos += 3
    this.consumeText()
    let begin = false
    let end = false
    let pair = ''
    for (;;) {
      const r = this.next()
      if (r === EOF || r === '\n') throw new JsonPathParseError('unterminated filter')
      if (r === '"' || r === "'") {
        if (!begin) { begin = true; pair = r; continue }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true
      } else if (r === ')') {
        if (begin === end) break
      }
    }
    if (this.next() !== ']') throw new JsonPathParseError('unclosed array expect ]')
    let text = this.consumeText()
    text = text.slice(0, -2)
    const m = filterRex.exec(text)
    if (!m) {
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: newList(), operator: 'exists' })
    } else {
      cur.nodes.push({ type: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), operator: m[2] })
    }
    this.parseInsideAction(cur)
  }

  parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next()
      if (r === EOF || r === '\n') throw new JsonPathParseError('unterminated quoted string')
      if (r === end && this.input[this.pos - 2] !== '\\') break
    }
    const value = this.consumeText()
    let s: string
    try {
      s = unquoteExtend(value)
    } catch (err) {
      throw new JsonPathParseError(`unquote string ${value} error ${(err as Error).message}`)
    }
    cur.nodes.push({ type: 'text', text: s })
    this.parseInsideAction(cur)
  }

  parseField(cur: ListNode): void {
    this.consumeText()
    while (this.advance()) { /* scan */ }
    const value = this.consumeText()
    if (value === '*') cur.nodes.push({ type: 'wildcard' })
    else cur.nodes.push({ type: 'field', value: value.replace(/\\/g, '') })
    this.parseInsideAction(cur)
  }

  advance(): boolean {
    const r = this.next()
    if (r === '\\') { this.next(); return true }
    if (isTerminator(r)) { this.backup(); return false }
    return true
  }
}

/** parseAction: parses the text of one action as if it were "{text}" and returns its list. */
function parseAction(text: string): ListNode {
  const root = new Parser().parse(`{${text}}`)
  return root.nodes[0] as ListNode
}

/** Parses a JSONPath template; throws JsonPathParseError. */
export function parseJsonPath(template: string): ListNode {
  return new Parser().parse(template)
}

export type { Node }
