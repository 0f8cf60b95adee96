/**
 * JSON documents too large for one stored value (1.5 MiB), stored as chunks under a prefix:
 * `<prefix><name>/<i>`, each headed by the epoch of the save that wrote it. Whoever saves keeps the
 * reference (the epoch and the keys) in a small value of its own; a chunk of another epoch (a save
 * that did not finish, an older one), a missing one or text that does not parse makes the
 * documents unreadable, never wrong.
 */
import { randomUUID } from 'node:crypto'
import type { Storage, TxnOp } from './types.js'

/** Characters of JSON text per chunk: under the stored value limit even if every one took 3 bytes. */
const CHUNK_CHARS = 480 * 1024

/** A document given as its text, stored as it is (not as a JSON string): the reader gets the text back. */
export class RawText {
  constructor(readonly text: string) {}
}

/** Where a save's chunks are: its epoch and their keys. */
export interface ChunkRef {
  epoch: string
  keys: string[]
}

/** The writes that store `docs` (by name: JSON values, or RawText) under `prefix` with a new epoch, and the reference to them. */
export function chunkedWrites(prefix: string, docs: ReadonlyMap<string, unknown>): { ops: TxnOp[]; ref: ChunkRef } {
  const epoch = randomUUID()
  const ops: TxnOp[] = []
  const keys: string[] = []
  for (const [name, data] of docs) {
    const text = data instanceof RawText ? data.text : JSON.stringify(data)
    if (text === undefined) continue
    const parts = Math.max(1, Math.ceil(text.length / CHUNK_CHARS))
    for (let i = 0; i < parts; i++) {
      const key = `${prefix}${name}/${i}`
      keys.push(key)
      ops.push({ type: 'put', key, value: `${epoch} ${name} ${i} ${parts}\n${text.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS)}` })
    }
  }
  return { ops, ref: { epoch, keys } }
}

/** Deletes of the chunk keys a save wrote under `prefix` (`old`) that the next one (`now`) does not overwrite: a smaller save leaves nothing behind. */
export function staleChunkDeletes(prefix: string, old: readonly string[] | undefined, now: readonly string[] | undefined): TxnOp[] {
  if (!old) return []
  const kept = new Set(now ?? [])
  return old.filter((k) => k.startsWith(prefix) && !kept.has(k)).map((key) => ({ type: 'delete' as const, key }))
}

/** Whether `v` has a ChunkRef's shape, with every key under `prefix`. */
export function isChunkRef(v: unknown, prefix: string): v is ChunkRef {
  const r = v as Partial<ChunkRef> | undefined
  return !!r && typeof r.epoch === 'string' && Array.isArray(r.keys) && r.keys.every((k) => typeof k === 'string' && k.startsWith(prefix))
}

/**
 * The documents `ref` names, by name; undefined when any chunk is missing, of another epoch, out
 * of order, or its text does not parse.
 */
export async function loadChunked(storage: Storage, prefix: string, ref: ChunkRef): Promise<Map<string, unknown> | undefined> {
  const texts = await loadChunkedText(storage, prefix, ref)
  if (!texts) return undefined
  const out = new Map<string, unknown>()
  for (const [name, text] of texts) {
    try {
      out.set(name, JSON.parse(text))
    } catch {
      return undefined
    }
  }
  return out
}

/** The JSON text of the documents `ref` names, by name (parsed by the caller when it needs them); undefined when any chunk is missing, of another epoch or out of order. */
export async function loadChunkedText(storage: Storage, prefix: string, ref: ChunkRef): Promise<Map<string, string> | undefined> {
  const texts = new Map<string, string[]>()
  const expected = new Map<string, number>()
  for (const key of ref.keys) {
    const kv = await storage.get(key)
    if (!kv) return undefined
    const nl = kv.value.indexOf('\n')
    if (nl < 0) return undefined
    const [epoch, name, index, parts] = kv.value.slice(0, nl).split(' ')
    if (epoch !== ref.epoch || !name || `${prefix}${name}/${index}` !== key) return undefined
    const chunks = texts.get(name) ?? []
    if (Number(index) !== chunks.length) return undefined
    chunks.push(kv.value.slice(nl + 1))
    texts.set(name, chunks)
    expected.set(name, Number(parts))
  }
  const out = new Map<string, string>()
  for (const [name, chunks] of texts) {
    if (chunks.length !== expected.get(name)) return undefined
    out.set(name, chunks.join(''))
  }
  return out
}
