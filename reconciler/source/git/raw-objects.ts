/**
 * A direct reader of git objects for bulk reads (every tree and blob of a commit): loose objects and
 * version-2 pack indexes with their packs, offset and reference deltas applied, all synchronous with
 * node's zlib. isomorphic-git does the same work with more overhead per object; a preview reads
 * thousands of small blobs, so the overhead is most of the time. An object this reader cannot find
 * (an alternate object store, a pack written after the reader was opened) is `undefined`: callers
 * fall back to isomorphic-git.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'

/** An object's type and content. */
export interface RawObject {
  type: 'commit' | 'tree' | 'blob' | 'tag'
  data: Buffer
}

/** Reads objects of one git directory; keep one per bulk read (it holds the packs in memory). */
export interface RawObjectReader {
  /** The object `oid` (40 hex digits), or undefined when not found here. */
  read(oid: string): RawObject | undefined
  /** The ids found here that start with `prefix` (4 to 40 lower-case hex digits), each once. */
  matching(prefix: string): string[]
}

const TYPES = ['', 'commit', 'tree', 'blob', 'tag'] as const

interface Pack {
  /** The index: fan-out table, sorted ids, offsets. */
  idx: Buffer
  count: number
  pack: Buffer
  /** Decoded objects by pack offset (delta bases are read again and again). */
  byOffset: Map<number, RawObject>
  /**
   * Object id → position in the index, for indexes small enough to map, once the pack has been
   * looked in often (a bulk read looks up every object; a one-shot command a handful, by halving).
   */
  positions?: Map<string, number>
  lookups: number
}

/** Lookups in one pack after which its ids are mapped (mapping 10,000 ids costs what ~1,000 halvings do). */
const MAP_AFTER = 64

function loadPack(idxPath: string): Pack | undefined {
  const idx = readFileSync(idxPath)
  // Version 2 only: `\377tOc`, version 2 (version 1 indexes are from git before 1.5.2).
  if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) return undefined
  const count = idx.readUInt32BE(8 + 255 * 4)
  const pack = readFileSync(idxPath.replace(/\.idx$/, '.pack'))
  return { idx, count, pack, byOffset: new Map(), lookups: 0 }
}

/** Maps the ids of `p` to their positions. */
function mapPositions(p: Pack): void {
  p.positions = new Map()
  const ids = 8 + 256 * 4
  for (let i = 0; i < p.count; i++) p.positions.set(p.idx.toString('hex', ids + i * 20, ids + i * 20 + 20), i)
}

/** The position of `oid` among the sorted ids of `p`, or -1. */
function findInIndex(p: Pack, oid: Buffer): number {
  const first = oid[0]
  let lo = first === 0 ? 0 : p.idx.readUInt32BE(8 + (first - 1) * 4)
  let hi = p.idx.readUInt32BE(8 + first * 4)
  const ids = 8 + 256 * 4
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const c = p.idx.compare(oid, 0, 20, ids + mid * 20, ids + mid * 20 + 20)
    if (c === 0) return mid
    if (c < 0) lo = mid + 1
    else hi = mid
  }
  return -1
}

function offsetAt(p: Pack, i: number): number {
  const base = 8 + 256 * 4 + p.count * 24
  const v = p.idx.readUInt32BE(base + i * 4)
  if (!(v & 0x80000000)) return v
  // Large offsets (packs over 2 GiB) live in a table of 8-byte values after the 4-byte ones.
  const big = base + p.count * 4 + (v & 0x7fffffff) * 8
  return Number(p.idx.readBigUInt64BE(big))
}

/** Applies a git delta (copy and insert instructions) to `base`. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let i = 0
  const varint = (): number => {
    let v = 0
    let shift = 0
    let b: number
    do {
      b = delta[i++]
      v += (b & 0x7f) * 2 ** shift
      shift += 7
    } while (b & 0x80)
    return v
  }
  varint() // the base's size
  const out = Buffer.allocUnsafe(varint())
  let o = 0
  while (i < delta.length) {
    const op = delta[i++]
    if (op & 0x80) {
      let off = 0
      let size = 0
      for (let k = 0; k < 4; k++) if (op & (1 << k)) off += delta[i++] * 2 ** (8 * k)
      for (let k = 0; k < 3; k++) if (op & (0x10 << k)) size += delta[i++] * 2 ** (8 * k)
      if (size === 0) size = 0x10000
      o += base.copy(out, o, off, off + size)
    } else if (op) {
      o += delta.copy(out, o, i, i + op)
      i += op
    } else throw new Error('invalid delta instruction 0')
  }
  if (o !== out.length) throw new Error(`delta produced ${o} bytes, expected ${out.length}`)
  return out
}

/** A reader over `gitdir`: its pack indexes are listed and loaded on first use. */
export function rawObjectReader(gitdir: string): RawObjectReader {
  const objects = join(gitdir, 'objects')
  let packs: Pack[] | undefined
  /** Pack indexes by file name, as loaded. */
  const loaded = new Map<string, Pack | undefined>()
  const packDir = join(objects, 'pack')
  /** The packs (listed once; `fresh`: listed again, loading any pack written since). */
  const loadPacks = (fresh = false): Pack[] => {
    if (packs && !fresh) return packs
    const names = existsSync(packDir) ? readdirSync(packDir).filter((n) => n.endsWith('.idx')) : []
    for (const n of names) if (!loaded.has(n)) loaded.set(n, loadPack(join(packDir, n)))
    for (const n of loaded.keys()) if (!names.includes(n)) loaded.delete(n)
    packs = names.map((n) => loaded.get(n)).filter((p): p is Pack => !!p)
    return packs
  }

  const readAt = (p: Pack, offset: number, asBase = false): RawObject | undefined => {
    const known = p.byOffset.get(offset)
    if (known) return known
    let pos = offset
    let b = p.pack[pos++]
    const type = (b >> 4) & 7
    let size = b & 15
    let shift = 4
    while (b & 0x80) {
      b = p.pack[pos++]
      size += (b & 0x7f) * 2 ** shift
      shift += 7
    }
    // zlib stops at the end of the stream; give it no more input than a stream of `size` bytes can take (zlib's deflateBound).
    // The output buffer sized to the object (zlib's default 16 KiB chunk per small object is most of the garbage).
    const inflate = (at: number) => inflateSync(p.pack.subarray(at, at + size + (size >> 12) + (size >> 14) + 64), { chunkSize: Math.max(64, size) })
    let obj: RawObject | undefined
    if (type >= 1 && type <= 4) obj = { type: TYPES[type] as RawObject['type'], data: inflate(pos) }
    else if (type === 6) {
      // OFS_DELTA: the base sits a (specially encoded) distance before this entry.
      b = p.pack[pos++]
      let dist = b & 0x7f
      while (b & 0x80) {
        b = p.pack[pos++]
        dist = (dist + 1) * 128 + (b & 0x7f)
      }
      const base = readAt(p, offset - dist, true)
      if (base) obj = { type: base.type, data: applyDelta(base.data, inflate(pos)) }
    } else if (type === 7) {
      // REF_DELTA: the base is named by id (thin packs completed by index-pack).
      const base = read(p.pack.subarray(pos, pos + 20).toString('hex'))
      if (base) obj = { type: base.type, data: applyDelta(base.data, inflate(pos + 20)) }
    }
    // Keep delta bases cheap to reach again (a chain shares them); bound the memo.
    if (obj && asBase) {
      if (p.byOffset.size > 20_000) p.byOffset.clear()
      p.byOffset.set(offset, obj)
    }
    return obj
  }

  const readLoose = (oid: string): RawObject | undefined => {
    let raw: Buffer
    try {
      raw = inflateSync(readFileSync(join(objects, oid.slice(0, 2), oid.slice(2))))
    } catch {
      return undefined
    }
    const nul = raw.indexOf(0)
    const type = raw.subarray(0, raw.indexOf(0x20)).toString('latin1')
    if (!(TYPES as readonly string[]).includes(type) || !type) return undefined
    return { type: type as RawObject['type'], data: raw.subarray(nul + 1) }
  }

  function read(oid: string): RawObject | undefined {
    if (!/^[0-9a-f]{40}$/.test(oid)) return undefined
    let id: Buffer | undefined
    for (const p of loadPacks()) {
      if (!p.positions && ++p.lookups > MAP_AFTER && p.count <= 500_000) mapPositions(p)
      const i = p.positions ? (p.positions.get(oid) ?? -1) : findInIndex(p, (id ??= Buffer.from(oid, 'hex')))
      if (i >= 0) return readAt(p, offsetAt(p, i))
    }
    return readLoose(oid)
  }

  /** The packed ids starting with `prefix`: from the first id not below it in the sorted index. */
  const packedMatching = (p: Pack, prefix: string): string[] => {
    const ids = 8 + 256 * 4
    const first = parseInt(prefix.slice(0, 2), 16)
    let lo = first === 0 ? 0 : p.idx.readUInt32BE(8 + (first - 1) * 4)
    let hi = p.idx.readUInt32BE(8 + first * 4)
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (p.idx.toString('hex', ids + mid * 20, ids + mid * 20 + 20) < prefix) lo = mid + 1
      else hi = mid
    }
    const out: string[] = []
    for (let i = lo; i < p.count; i++) {
      const id = p.idx.toString('hex', ids + i * 20, ids + i * 20 + 20)
      if (!id.startsWith(prefix)) break
      out.push(id)
    }
    return out
  }

  function matching(prefix: string): string[] {
    if (!/^[0-9a-f]{4,40}$/.test(prefix)) return []
    const found = new Set<string>()
    // Every pack there is now: a match counts as the only one only if no newer pack holds another.
    for (const p of loadPacks(true)) for (const id of packedMatching(p, prefix)) found.add(id)
    try {
      for (const name of readdirSync(join(objects, prefix.slice(0, 2)))) {
        const id = prefix.slice(0, 2) + name
        if (/^[0-9a-f]{40}$/.test(id) && id.startsWith(prefix)) found.add(id)
      }
    } catch {
      // No loose objects under that fan-out directory.
    }
    return [...found].sort()
  }

  return { read, matching }
}

/** One entry of a tree object. */
export interface RawTreeEntry {
  name: string
  /** `100644`, `100755`, `120000`, `040000` (a tree) or `160000` (a submodule), as isomorphic-git writes them. */
  mode: string
  oid: string
  type: 'blob' | 'tree' | 'commit'
}

/** The entries of a tree object's content. */
export function parseTree(data: Buffer): RawTreeEntry[] {
  const out: RawTreeEntry[] = []
  let i = 0
  while (i < data.length) {
    const space = data.indexOf(0x20, i)
    const nul = data.indexOf(0, space)
    const mode = data.toString('latin1', i, space).padStart(6, '0')
    const name = data.toString('utf8', space + 1, nul)
    const oid = data.toString('hex', nul + 1, nul + 21)
    out.push({ name, mode, oid, type: mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob' })
    i = nul + 21
  }
  return out
}
