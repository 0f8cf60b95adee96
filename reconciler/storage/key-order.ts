/** Key ordering shared by every backend: keys compare as their UTF-8 bytes, as in etcd and sqlite. */

/**
 * Compares two keys by the byte order of their UTF-8 encodings.
 * JavaScript's `<` compares UTF-16 code units, which differs from UTF-8 byte order only when both
 * differing units are at or above U+D800 (a surrogate must sort after U+E000..U+FFFF), so the
 * common ASCII case costs one native comparison.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return utf8Rank(x) - utf8Rank(y)
  }
  return a.length - b.length
}

/** Maps a UTF-16 code unit to a rank that orders like the UTF-8 bytes of the code point it starts. */
function utf8Rank(unit: number): number {
  if (unit < 0xd800) return unit
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000
}

/**
 * The smallest key greater than every key that starts with `prefix` (etcd's "range end"), or
 * undefined when there is none (empty prefix, or a prefix of only U+10FFFF).
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix)
  while (points.length > 0) {
    const last = points.pop() as string
    let cp = last.codePointAt(0) as number
    if (cp >= 0x10ffff) continue
    cp += 1
    if (cp >= 0xd800 && cp < 0xe000) cp = 0xe000
    return points.join('') + String.fromCodePoint(cp)
  }
  return undefined
}

/** The smallest key strictly greater than `key`. */
export function keySuccessor(key: string): string {
  return key + '\u0000'
}
