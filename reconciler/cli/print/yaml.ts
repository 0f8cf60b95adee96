/**
 * -o yaml: what sigs.k8s.io/yaml (JSON → go-yaml v2) writes for an object: keys in go-yaml's
 * order, two-space indent, sequences not indented under their key, strings quoted only when
 * needed, long lines folded at 80 columns, multi-line strings as literal blocks.
 * Written here as a small emitter for JSON values that follows libyaml's emitter rules.
 */
import { goNumber } from './go-format.js'

const BEST_WIDTH = 80

/** go-yaml v2's key order (sorter.go): letters by code point, digit runs numerically, non-letters first. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  const isLetter = (c: string): boolean => /\p{L}/u.test(c)
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = isLetter(ar[i])
    const bl = isLetter(br[i])
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!
    if (al || bl) return bl
    let an = 0
    let bn = 0
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') { an = 1; bn = 1; break }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai])
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi])
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!
  }
  return ar.length < br.length
}

const YAML11_BOOL = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF'])
const YAML_NULL = new Set(['', '~', 'null', 'Null', 'NULL'])
const YAML_FLOAT_SPECIAL = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'])

/** go-yaml v2's resolve(): would this plain text read back as something other than a string? */
export function resolvesToNonString(s: string): boolean {
  if (YAML_NULL.has(s) || YAML11_BOOL.has(s) || YAML_FLOAT_SPECIAL.has(s)) return true
  const c = s.charAt(0)
  if (!/[-+.0-9]/.test(c)) return false
  const plain = s.replace(/_/g, '')
  // ints: decimal, 0x, 0o-style octal (leading 0), 0b; as strconv.ParseInt(…, 0, 64) accepts
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(plain) || /^[-+]?0[0-7]+$/.test(plain) || /^[-+]?0x[0-9a-fA-F]+$/.test(plain) ||
      /^[-+]?0o[0-7]+$/.test(plain) || /^[-+]?0b[01]+$/.test(plain)) return true
  if (/^-?0b[01]+$/.test(s)) return true
  // floats, as strconv.ParseFloat accepts them
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(plain)) return true
  // timestamps (only tried for text that starts with a digit)
  if (/^\d{4}-\d\d?-\d\d?([Tt ]|\s+)\d\d?:\d\d:\d\d(\.\d*)?(\s*(Z|[-+]\d\d?(:\d\d)?))?$/.test(s) || /^\d{4}-\d\d?-\d\d?$/.test(s)) return true
  // base 60 floats ("1:20") are quoted by go-yaml v2 too
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return true
  return false
}

/** libyaml's printable set; tab and other controls are not printable. */
const isPrintable = (cp: number): boolean =>
  cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff)
const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029'
const isSpace = (c: string | undefined): boolean => c === ' '
const isBlankz = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || isBreak(c)

type Analysis = { multiline: boolean; blockPlain: boolean; singleQuoted: boolean; block: boolean }

/** yaml_emitter_analyze_scalar, for block context. */
function analyze(s: string): Analysis {
  if (s === '') return { multiline: false, blockPlain: true, singleQuoted: true, block: false }
  const chars = [...s]
  let blockIndicators = false
  let flowIndicators = false
  let lineBreaks = false
  let specialCharacters = false
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false
  if (s.startsWith('---') || s.startsWith('...')) { blockIndicators = true; flowIndicators = true }
  let precededByWhitespace = true
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    const followedByWhitespace = isBlankz(chars[i + 1])
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) { flowIndicators = true; blockIndicators = true }
      if (c === '?' || c === ':') { flowIndicators = true; if (followedByWhitespace) blockIndicators = true }
      if (c === '-' && followedByWhitespace) { flowIndicators = true; blockIndicators = true }
    } else {
      if (',?[]{}'.includes(c)) flowIndicators = true
      if (c === ':') { flowIndicators = true; if (followedByWhitespace) blockIndicators = true }
      if (c === '#' && precededByWhitespace) { flowIndicators = true; blockIndicators = true }
    }
    if (!isPrintable(c.codePointAt(0)!)) specialCharacters = true
    if (isBreak(c)) lineBreaks = true
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true
      if (i === chars.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true; previousBreak = false
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true
      if (i === chars.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousBreak = true; previousSpace = false
    } else {
      previousSpace = false; previousBreak = false
    }
    precededByWhitespace = isBlankz(c)
  }
  let blockPlain = true, singleQuoted = true, block = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false
  if (trailingSpace) block = false
  if (breakSpace) { blockPlain = false; singleQuoted = false }
  if (spaceBreak || specialCharacters) { blockPlain = false; singleQuoted = false; block = false }
  if (lineBreaks) blockPlain = false
  if (blockIndicators) blockPlain = false
  void flowIndicators
  return { multiline: lineBreaks, blockPlain, singleQuoted, block }
}

type Style = 'plain' | 'single' | 'double' | 'literal'

/** go-yaml v2's choice of style for a string, then libyaml's fallbacks. */
function chooseStyle(s: string, simpleKey: boolean): Style {
  let style: Style
  if (s.includes('\n')) style = 'literal'
  else if (!resolvesToNonString(s)) style = 'plain'
  else style = 'double'
  const a = analyze(s)
  if (style === 'plain') {
    if (!a.blockPlain) style = 'single'
    if (s === '' && simpleKey) style = 'single'
  }
  if (style === 'single' && !a.singleQuoted) style = 'double'
  if (style === 'literal' && (!a.block || simpleKey)) style = 'double'
  return style
}

/** Writes scalars with libyaml's line folding; tracks the column. */
class Writer {
  out = ''
  column = 0
  write(s: string): void {
    this.out += s
    this.column += [...s].length
  }
  newline(): void { this.out += '\n'; this.column = 0 }
  /** libyaml's write_indent: a line break unless a block scalar just ended one, then spaces. */
  indent(n: number): void {
    if (!(this.column === 0 && this.out.endsWith('\n'))) this.newline()
    this.write(' '.repeat(n))
  }
  /** The end of the document: a final line break unless one was just written. */
  end(): void { if (!(this.column === 0 && this.out.endsWith('\n'))) this.newline() }
}

function writePlain(w: Writer, s: string, indent: number, allowBreaks: boolean): void {
  const chars = [...s]
  let spaces = false
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (c === ' ') {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && chars[i + 1] !== ' ') w.indent(indent)
      else w.write(c)
      spaces = true
    } else {
      w.write(c)
      spaces = false
    }
  }
}

function writeSingle(w: Writer, s: string, indent: number, allowBreaks: boolean): void {
  w.write("'")
  const chars = [...s]
  let spaces = false
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (c === ' ') {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') w.indent(indent)
      else w.write(c)
      spaces = true
    } else {
      if (c === "'") w.write("'")
      w.write(c)
      spaces = false
    }
  }
  w.write("'")
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
}

function writeDouble(w: Writer, s: string, indent: number, allowBreaks: boolean): void {
  w.write('"')
  const chars = [...s]
  let spaces = false
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    const cp = c.codePointAt(0)!
    if (!isPrintable(cp) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
      const e = ESCAPES[c]
      if (e) w.write('\\' + e)
      else if (cp <= 0xff) w.write('\\x' + cp.toString(16).toUpperCase().padStart(2, '0'))
      else if (cp <= 0xffff) w.write('\\u' + cp.toString(16).toUpperCase().padStart(4, '0'))
      else w.write('\\U' + cp.toString(16).toUpperCase().padStart(8, '0'))
      spaces = false
    } else if (c === ' ') {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        w.indent(indent)
        if (chars[i + 1] === ' ') w.write('\\')
      } else {
        w.write(c)
      }
      spaces = true
    } else {
      w.write(c)
      spaces = false
    }
  }
  w.write('"')
}

function writeLiteral(w: Writer, s: string, indent: number): void {
  let hints = ''
  if (s.startsWith(' ') || isBreak(s.charAt(0))) hints += '2'
  if (!s.endsWith('\n')) hints += '-'
  else if (s === '\n' || s.endsWith('\n\n')) hints += '+'
  w.write('|' + hints)
  w.newline()
  let breaks = true
  for (const c of s) {
    if (isBreak(c)) {
      w.newline()
      breaks = true
    } else {
      if (breaks) w.write(' '.repeat(indent))
      w.write(c)
      breaks = false
    }
  }
}

/** A scalar's text at the writer's position; `indent` is where continuation lines start. */
function writeScalar(w: Writer, v: unknown, indent: number, simpleKey: boolean): void {
  if (v === null || v === undefined) return w.write('null')
  if (typeof v === 'boolean') return w.write(v ? 'true' : 'false')
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return w.write('.nan')
    if (v === Infinity) return w.write('.inf')
    if (v === -Infinity) return w.write('-.inf')
    return w.write(goNumber(v))
  }
  const s = String(v)
  switch (chooseStyle(s, simpleKey)) {
    case 'plain': return writePlain(w, s, indent, !simpleKey)
    case 'single': return writeSingle(w, s, indent, !simpleKey)
    case 'double': return writeDouble(w, s, indent, !simpleKey)
    case 'literal': return writeLiteral(w, s, indent)
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Sorted keys of a map, dropping undefined values as JSON would. */
function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined).sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0))
}

/** Emits a block node whose first line starts at the writer's current position. */
function emitNode(w: Writer, v: unknown, indent: number, inMappingValue: boolean): void {
  if (isMap(v)) {
    const keys = sortedKeys(v)
    if (keys.length === 0) return w.write('{}')
    keys.forEach((k, i) => {
      if (i > 0 || inMappingValue) w.indent(indent)
      writeScalar(w, k, indent, true)
      w.write(':')
      const val = v[k]
      if (isMap(val) && sortedKeys(val).length > 0) {
        emitNode(w, val, indent + 2, true)
      } else if (Array.isArray(val) && val.length > 0) {
        emitNode(w, val, indent, true) // sequences are not indented under a mapping key
      } else {
        w.write(' ')
        emitNode(w, val, indent + 2, false)
      }
    })
    return
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return w.write('[]')
    v.forEach((item, i) => {
      if (i > 0 || inMappingValue) w.indent(indent)
      w.write('- ')
      if (Array.isArray(item) && item.length > 0) emitNode(w, item, indent + 2, false)
      else emitNode(w, item, indent + 2, false)
    })
    return
  }
  writeScalar(w, v, indent, false)
}

/** The -o yaml text of a value (a document without "---", ending in a newline). */
export function toKubectlYaml(value: unknown): string {
  const w = new Writer()
  emitNode(w, value, 0, false)
  w.end()
  return w.out
}
