/**
 * Go's value formatting as kube-apiserver messages show it (`%q`, `%v`, `%#v` of a few shapes), so
 * our messages read byte for byte like the Go ones.
 */

const namedEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
}

/** Go's `strconv.Quote` (`%q` of a string): double quotes, Go escapes for control characters. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const named = namedEscapes[ch]
    if (named) {
      out += named
      continue
    }
    const cp = ch.codePointAt(0) ?? 0
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\\u' + cp.toString(16).padStart(4, '0')
    } else out += ch
  }
  return out + '"'
}

/** `%#v` of a Go `[]string`: `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map(goQuote).join(', ')}}`
}

/** Length in bytes, as Go's `len` counts a string. */
export function byteLength(s: string): number {
  // ASCII (nearly every name, label and annotation) is one byte a character: no call into Buffer.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8')
  return s.length
}
