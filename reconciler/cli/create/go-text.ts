/** Go's ways of writing values into text that kubectl's messages and hashes depend on. */

/** Go's `unicode.IsSpace`, as a character class (note: not JavaScript's `\s`, which also has U+FEFF). */
export const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'

const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u

/** Go's `strconv.Quote` (what `%q` prints for a string). */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    if (ch === '"' || ch === '\\') out += '\\' + ch
    else if (printable.test(ch)) out += ch
    else if (ch === '\x07') out += '\\a'
    else if (ch === '\b') out += '\\b'
    else if (ch === '\f') out += '\\f'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\v') out += '\\v'
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0')
    else out += '\\U' + cp.toString(16).padStart(8, '0')
  }
  return out + '"'
}

/** JSON as Go's encoding/json writes it: compact, with `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** Go's `path.Base`: the last element of a slash-separated path. */
export function goPathBase(p: string): string {
  if (p === '') return '.'
  const trimmed = p.replace(/\/+$/, '')
  if (trimmed === '') return '/'
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}

/** Go's `path.Join` of two parts (cleaned). */
export function goPathJoin(dir: string, name: string): string {
  const joined = dir === '' ? name : `${dir}/${name}`
  const abs = joined.startsWith('/')
  const parts: string[] = []
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop()
      else if (!abs) parts.push('..')
    } else parts.push(part)
  }
  const body = parts.join('/')
  return abs ? '/' + body : body || '.'
}

/** The text Go gives an operating-system error (`no such file or directory`), from Node's error. */
export function goErrnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  const texts: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links',
    ENAMETOOLONG: 'file name too long',
  }
  return (e?.code && texts[e.code]) || (e instanceof Error ? e.message : String(err))
}

/** Go's `%v` of a byte slice: `[104 105]`. */
export function goBytes(b: Uint8Array): string {
  return `[${Array.from(b).join(' ')}]`
}
