/** The suffix `--append-hash` adds to a name: kubectl's content hash of a ConfigMap or Secret. */
import { createHash } from 'node:crypto'
import { goJson } from './go-text.js'

function sortedObject(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]))
}

/**
 * The first 10 hex digits of a SHA-256, with 0, 1, 3, a and e mapped to g, h, k, m and t so that
 * no word can be spelled (kubectl's encodeHash).
 */
export function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' }
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('')
}

function hashOf(value: Record<string, unknown>): string {
  return encodeHash(createHash('sha256').update(goJson(sortedObject(value))).digest('hex'))
}

/** kubectl's ConfigMap hash: of kind, name, data and (when not empty) binaryData; values base64 in binaryData. */
export function configMapHash(name: string, data: Record<string, string>, binaryData: Record<string, string>): string {
  const m: Record<string, unknown> = { kind: 'ConfigMap', name, data: sortedObject(data) }
  if (Object.keys(binaryData).length > 0) m.binaryData = sortedObject(binaryData)
  return hashOf(m)
}

/** kubectl's Secret hash: of kind, name, type and data (base64 values). */
export function secretHash(name: string, type: string, data: Record<string, string>): string {
  return hashOf({ kind: 'Secret', name, type, data: sortedObject(data) })
}
