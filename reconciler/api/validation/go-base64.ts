/**
 * Base64 decoding with Go's `encoding/base64.StdEncoding` rules and error offsets, which is how
 * kube-apiserver decodes `[]byte` fields (Secret `data`, ConfigMap `binaryData`) from JSON: padding
 * required, `\r` and `\n` ignored, anything else an `illegal base64 data at input byte N`.
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const decodeMap = new Int16Array(256).fill(-1)
for (let i = 0; i < alphabet.length; i++) decodeMap[alphabet.charCodeAt(i)] = i

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; offset: number; message: string }

const isNewline = (b: number): boolean => b === 0x0a || b === 0x0d

/** Decode `s` as Go would; on failure, the byte offset Go reports. */
export function decodeGoBase64(s: string): Base64Result {
  const src = Buffer.from(s, 'utf8')
  const out: number[] = []
  let si = 0
  const fail = (offset: number): Base64Result => ({ ok: false, offset, message: `illegal base64 data at input byte ${offset}` })
  while (si < src.length) {
    // One quantum: up to four symbols, as Go's decodeQuantum reads them.
    const dbuf = [0, 0, 0, 0]
    let dlen = 4
    let trailingError = -1
    let j = 0
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: Buffer.from(out) }
        return fail(si - j)
      }
      const ch = src[si++]
      const v = decodeMap[ch]
      if (v >= 0) {
        dbuf[j] = v
        continue
      }
      if (isNewline(ch)) {
        j--
        continue
      }
      if (ch !== 0x3d /* = */) return fail(si - 1)
      // Padding: only after two or three symbols.
      if (j === 0 || j === 1) return fail(si - 1)
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++
        if (si === src.length) return fail(src.length)
        if (src[si] !== 0x3d) return fail(si - 1)
        si++
      }
      while (si < src.length && isNewline(src[si])) si++
      if (si < src.length) trailingError = si
      dlen = j
      break
    }
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3]
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff]
    out.push(...bytes.slice(0, dlen - 1))
    if (trailingError >= 0) return fail(trailingError)
  }
  return { ok: true, bytes: Buffer.from(out) }
}
