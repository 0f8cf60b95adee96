/**
 * The pod-template-hash: controller.ComputeHash in our words. Kubernetes feeds the template through
 * go-spew (DeepHashObject) into FNV-32a; we cannot reproduce spew's byte stream, so we hash a
 * canonical JSON (object keys sorted) instead. The rest is as upstream: the collision count, when
 * set, is appended as 8 little-endian bytes, and the decimal text of the 32-bit sum is encoded with
 * rand.SafeEncodeString's alphabet. Names therefore have upstream's shape (`web-7d4b9c8f5`) but not
 * upstream's exact characters for the same template.
 */
import type { PodTemplateSpec } from './types.js'

/** rand.SafeEncodeString's alphabet: no vowels (no words) and no 0/1/3 (look like o/l/e). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** JSON with object keys sorted at every level, so equal templates give equal bytes. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  const o = v as Record<string, unknown>
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
}

/** FNV-1a, 32 bits, over bytes, continuing from `h` (default: the offset basis). */
export function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** rand.SafeEncodeString: each byte of `s` becomes SAFE_ALPHABET[byte % 27]. */
export function safeEncodeString(s: string): string {
  let out = ''
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length]
  return out
}

/** The pod-template-hash of a template (without its own hash label) and the Deployment's collisionCount. */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template), 'utf8'))
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8)
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true)
    h = fnv32a(extra, h)
  }
  return safeEncodeString(String(h))
}
