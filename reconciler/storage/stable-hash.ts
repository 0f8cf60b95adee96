/** FNV-1a over a string: a stable unsigned 32-bit hash, the same in every process (probing starts, pages, ids). */
export function stableHash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}
