/**
 * A set of field paths as structured-merge-diff's fieldpath.Set keeps it: a tree whose nodes hold
 * `members` (paths in the set) and `children` (subtrees with members further down; being a child
 * does not imply membership). Encodes to and decodes from `fieldsV1` exactly as Kubernetes stores
 * it in `metadata.managedFields[].fieldsV1`.
 */
import {
  comparePathElements,
  deserializePathElement,
  serializePathElement,
  type Path,
  type PathElement,
} from './path-element.js'

interface Child {
  pe: PathElement
  set: FieldSet
}

/** The JSON shape of `fieldsV1`. */
export type FieldsV1 = { [key: string]: FieldsV1 }

/**
 * A set of paths. Operations return new sets; `insert` is for building one.
 *
 * A set read from a fieldsV1 in the form kube-apiserver writes (see isNormalFieldsV1) is read one
 * level at a time, when an operation first looks at that level: a write usually touches one corner
 * of each manager's set (status, one annotation), so the rest is never decoded, and an unread
 * subtree encodes back as the very fieldsV1 object it was read from. fieldsV1 objects are never
 * changed (objects are copied before writes), which is what makes this safe.
 */
export class FieldSet {
  private m?: Map<string, PathElement>
  private c?: Map<string, Child>
  /** The normalised fieldsV1 node this set still has to read its levels from. */
  private raw?: FieldsV1
  /** Whether the fieldsV1 in `encoded` for this set is in the encoder's own form (emitted, or checked by isNormalFieldsV1). */
  private normal?: boolean

  private get members(): Map<string, PathElement> {
    if (this.m === undefined) this.read()
    return this.m!
  }

  private get children(): Map<string, Child> {
    if (this.c === undefined) this.read()
    return this.c!
  }

  /** Reads this level of `raw` (its subtrees stay unread). */
  private read(): void {
    const m = new Map<string, PathElement>()
    const c = new Map<string, Child>()
    const raw = this.raw
    if (raw !== undefined) {
      for (const key in raw) {
        if (key === '.') continue
        const pe = normalKey(key)!
        const v = raw[key]
        if (hasElementKey(v)) {
          if (Object.hasOwn(v, '.')) m.set(key, pe)
          c.set(key, { pe, set: FieldSet.lazy(v) })
        } else m.set(key, pe)
      }
    }
    this.m = m
    this.c = c
  }

  /** A set that reads the normalised fieldsV1 node `raw` on demand. */
  private static lazy(raw: FieldsV1): FieldSet {
    const s = new FieldSet()
    s.raw = raw
    return s
  }

  /** The fieldsV1 node this set reads from, while no level of it has been read. */
  private unread(): FieldsV1 | undefined {
    return this.m === undefined ? this.raw : undefined
  }

  /** A set holding the given paths. */
  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet()
    for (const p of paths) s.insert(p)
    return s
  }

  /** Adds a path. Parents are not added (as in SMD); the empty path is ignored. */
  insert(path: Path): this {
    if (path.length === 0) return this
    let s: FieldSet = this
    for (let i = 0; i < path.length - 1; i++) s = s.descend(path[i])
    const last = path[path.length - 1]
    s.members.set(serializePathElement(last), last)
    return this
  }

  private descend(pe: PathElement): FieldSet {
    return this.descendKey(serializePathElement(pe), pe)
  }

  /** The subtree under `pe` (whose serialized form is `k`), made when missing; for building a set. */
  descendKey(k: string, pe: PathElement): FieldSet {
    let c = this.children.get(k)
    if (!c) this.children.set(k, (c = { pe, set: new FieldSet() }))
    return c.set
  }

  /** Adds the one-element path `pe` (whose serialized form is `k`) as a member; for building a set. */
  insertKey(k: string, pe: PathElement): void {
    this.members.set(k, pe)
  }

  /** Whether `path` is a member. */
  has(path: Path): boolean {
    if (path.length === 0) return false
    let s: FieldSet | undefined = this
    for (let i = 0; i < path.length - 1 && s; i++) s = s.child(path[i])
    return !!s && s.hasMember(path[path.length - 1])
  }

  /** Whether the one-element path `pe` is a member. */
  hasMember(pe: PathElement): boolean {
    return this.members.has(serializePathElement(pe))
  }

  /** The subtree under `pe`, if any. */
  child(pe: PathElement): FieldSet | undefined {
    return this.children.get(serializePathElement(pe))?.set
  }

  /** The paths under `pe`, without the prefix (empty set when none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.child(pe) ?? new FieldSet()
  }

  /** Members at this level, in SMD order. */
  memberElements(): PathElement[] {
    return [...this.members.values()].sort(comparePathElements)
  }

  /** Children at this level, in SMD order. */
  childEntries(): Array<[PathElement, FieldSet]> {
    return [...this.children.values()].sort((a, b) => comparePathElements(a.pe, b.pe)).map((c) => [c.pe, c.set])
  }

  /** True when the set has no member anywhere. */
  empty(): boolean {
    const raw = this.unread()
    // A normalised node's every element key leads to a member.
    if (raw !== undefined) return !hasElementKey(raw)
    if (this.members.size > 0) return false
    for (const c of this.children.values()) if (!c.set.empty()) return false
    return true
  }

  /** The number of members anywhere in the tree. */
  size(): number {
    let n = this.members.size
    for (const c of this.children.values()) n += c.set.size()
    return n
  }

  /** A deep copy. */
  copy(): FieldSet {
    const raw = this.unread()
    if (raw !== undefined) return FieldSet.lazy(raw)
    const out = new FieldSet()
    for (const [k, pe] of this.members) out.members.set(k, pe)
    for (const [k, c] of this.children) out.children.set(k, { pe: c.pe, set: c.set.copy() })
    return out
  }

  /** Paths in either set. */
  union(o: FieldSet): FieldSet {
    const out = this.copy()
    for (const [k, pe] of o.members) out.members.set(k, pe)
    for (const [k, c] of o.children) {
      const mine = out.children.get(k)
      out.children.set(k, { pe: c.pe, set: mine ? mine.set.union(c.set) : c.set.copy() })
    }
    return out
  }

  /**
   * Adds every path of `o` to this set in place, sharing `o`'s subtrees where this set has none
   * (union without copies). Only for a set this caller built and owns; `o` is left as it was, and
   * neither may be changed afterwards.
   */
  absorb(o: FieldSet): this {
    const members = this.members
    const children = this.children
    for (const [k, pe] of o.members) members.set(k, pe)
    for (const [k, c] of o.children) {
      const mine = children.get(k)
      if (mine) mine.set.absorb(c.set)
      else children.set(k, c)
    }
    return this
  }

  /** Whether some path is in both sets (intersection(o) is not empty), without building it. */
  intersects(o: FieldSet): boolean {
    const small = this.members.size <= o.members.size ? this : o
    const big = small === this ? o : this
    for (const k of small.members.keys()) if (big.members.has(k)) return true
    const fewer = this.children.size <= o.children.size ? this : o
    const more = fewer === this ? o : this
    for (const [k, c] of fewer.children) {
      const theirs = more.children.get(k)
      if (theirs && c.set.intersects(theirs.set)) return true
    }
    return false
  }

  /** Paths in both sets. */
  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) if (o.members.has(k)) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k)
      if (!theirs) continue
      const res = c.set.intersection(theirs.set)
      if (!res.empty()) out.children.set(k, { pe: c.pe, set: res })
    }
    return out
  }

  /** Paths in this set and not in `o`; a member of `o` does not remove the paths below it (SMD's Difference). */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      const theirs = o.children.get(k)
      const res = theirs ? c.set.difference(theirs.set) : c.set.copy()
      if (!res.empty()) out.children.set(k, { pe: c.pe, set: res })
    }
    return out
  }

  /** Like difference, but a member of `o` also removes everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      if (o.members.has(k)) continue
      const theirs = o.children.get(k)
      const res = theirs ? c.set.recursiveDifference(theirs.set) : c.set.copy()
      if (!res.empty()) out.children.set(k, { pe: c.pe, set: res })
    }
    return out
  }

  /** Only the members that have nothing below them in this set. */
  leaves(): FieldSet {
    const out = new FieldSet()
    for (const [k, pe] of this.members) if (!this.children.has(k)) out.members.set(k, pe)
    for (const [k, c] of this.children) {
      const res = c.set.leaves()
      if (!res.empty()) out.children.set(k, { pe: c.pe, set: res })
    }
    return out
  }

  /** Every member path: members of a node first, then its children, each in SMD order (SMD's Iterate). */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = []
    for (const pe of this.memberElements()) out.push([...prefix, pe])
    for (const [pe, set] of this.childEntries()) out.push(...set.paths([...prefix, pe]))
    return out
  }

  /** Same members everywhere. */
  equals(o: FieldSet): boolean {
    return JSON.stringify(this.toFieldsV1()) === JSON.stringify(o.toFieldsV1())
  }

  /**
   * The `fieldsV1` object, keys in the order kube-apiserver writes them (`"."` last in a node). A set
   * read from fieldsV1 gives back the object it was read from, so the managers a write leaves alone
   * are not encoded again (sets are never changed once built and handed out).
   */
  toFieldsV1(): FieldsV1 {
    const known = encoded.get(this)
    if (known) return known
    const out = this.emit(false)
    encoded.set(this, out)
    this.normal = true
    // The next write of the object this set is stored with decodes it for free.
    decoded.set(out, this)
    return out
  }

  /**
   * The fieldsV1 this set was read from or encoded to, when that object is in the encoder's own
   * form (what toFieldsV1 of any set with the same members would be); otherwise undefined.
   */
  normalFieldsV1(): FieldsV1 | undefined {
    return this.normal ? encoded.get(this) : undefined
  }

  /**
   * Whether toFieldsV1() would give an object deep-equal to `f`, a root in the encoder's own form
   * (see normalFieldsV1), without building it: a write that changes only fields its manager owns
   * already keeps that manager's stored fieldsV1 (and its text) instead of an equal new one.
   */
  encodesAs(f: FieldsV1): boolean {
    return this.emitsAs(false, f)
  }

  /** Whether emit(includeSelf) would be deep-equal to the normal node `f`. */
  private emitsAs(includeSelf: boolean, f: FieldsV1): boolean {
    const raw = this.unread()
    if (raw !== undefined && Object.hasOwn(raw, '.') === includeSelf) return raw === f || sameNodes(raw, f)
    const members = this.members
    const children = this.children
    let n = 0
    for (const k of members.keys()) {
      n++
      if (!Object.hasOwn(f, k)) return false
      const c = children.get(k)
      if (c ? !c.set.emitsAs(true, f[k]) : hasAnyKey(f[k])) return false
    }
    for (const [k, c] of children) {
      if (members.has(k)) continue
      n++
      if (!Object.hasOwn(f, k) || !c.set.emitsAs(false, f[k])) return false
    }
    let keys = 0
    let dot = false
    for (const k in f) {
      if (k === '.') dot = true
      else keys++
    }
    return keys === n && dot === (includeSelf && n > 0)
  }

  private emit(includeSelf: boolean): FieldsV1 {
    // An unread subtree is already in this form: its node, shared (fieldsV1 objects are never changed).
    const raw = this.unread()
    if (raw !== undefined && Object.hasOwn(raw, '.') === includeSelf) return raw
    const members = this.members
    const children = this.children
    const keys: string[] = []
    for (const k of members.keys()) keys.push(k)
    for (const k of children.keys()) if (!members.has(k)) keys.push(k)
    sortKeys(keys, (k) => members.get(k) ?? children.get(k)!.pe)
    const out: FieldsV1 = {}
    for (const k of keys) {
      const c = children.get(k)
      out[k] = c ? c.set.emit(members.has(k)) : {}
    }
    if (includeSelf && keys.length > 0) out['.'] = {}
    return out
  }

  /** Reads a `fieldsV1` object. Unknown element types are skipped, as SMD does; malformed keys throw. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const isObj = typeof fields === 'object' && fields !== null && !Array.isArray(fields)
    const known = isObj ? decoded.get(fields) : undefined
    if (known) return known
    const normal = isObj && isNormalFieldsV1(fields, true)
    const set = normal ? FieldSet.lazy(fields as FieldsV1) : (FieldSet.readNode(fields).set ?? new FieldSet())
    if (normal) set.normal = true
    if (isObj) {
      encoded.set(set, fields as FieldsV1)
      decoded.set(fields, set)
    }
    return set
  }

  /**
   * fromFieldsV1 for a fieldsV1 written by this package's own encoders (FieldSet's, or
   * created-fields.ts's, which a test pins to FieldSet's bytes): already in the encoder's own form,
   * so it is read lazily without checking that first.
   */
  static fromOwnFieldsV1(fields: FieldsV1): FieldSet {
    const known = decoded.get(fields)
    if (known) return known
    const set = FieldSet.lazy(fields)
    set.normal = true
    encoded.set(set, fields)
    decoded.set(fields, set)
    return set
  }

  /** One node of fieldsV1: the subtree below it (built in place, child sets attached as read) and whether it is itself a member. */
  private static readNode(node: unknown): { set?: FieldSet; isMember: boolean } {
    let set: FieldSet | undefined
    let isMember = false
    const obj = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : {}
    for (const key of Object.keys(obj)) {
      if (key === '.') {
        isMember = true
        continue
      }
      const pe = deserializePathElement(key)
      if (!pe) continue
      const grand = FieldSet.readNode(obj[key])
      set ??= new FieldSet()
      const k = serializePathElement(pe)
      if (grand.isMember) set.members.set(k, pe)
      if (grand.set) set.children.set(k, { pe, set: grand.set })
    }
    if (!set) isMember = true
    return { set, isMember }
  }
}

/** The fieldsV1 each set was read from or last encoded to. */
const encoded = new WeakMap<FieldSet, FieldsV1>()

/**
 * The set each fieldsV1 object was read into. fieldsV1 objects are never changed (objects are
 * copied before writes, and stored objects share their managedFields with the write that made
 * them), so the next write of the same object decodes its managers for free.
 */
const decoded = new WeakMap<object, FieldSet>()

/** Deep equality of two fieldsV1 nodes, key order included. */
function sameNodes(a: FieldsV1, b: FieldsV1): boolean {
  if (a === b) return true
  const ak = Object.keys(a)
  const bk = Object.keys(b)
  if (ak.length !== bk.length) return false
  for (let i = 0; i < ak.length; i++) if (ak[i] !== bk[i] || !sameNodes(a[ak[i]], b[bk[i]])) return false
  return true
}

const HIGH = /[\uD800-\uFFFF]/

/**
 * Sorts serialized path elements in SMD order. Field keys (`f:…`) come first and, without characters
 * at or above U+D800, the engine's own string order is byte order (the common `f:` prefix changes
 * nothing); other keys are ordered by their elements.
 */
export function sortKeys(keys: string[], elementOf: (key: string) => PathElement): void {
  if (keys.length < 2) return
  let fields = 0
  let plain = true
  for (const k of keys) {
    if (k.charCodeAt(0) === 102 /* f */ && k.charCodeAt(1) === 58 /* : */) {
      fields++
      if (plain && HIGH.test(k)) plain = false
    }
  }
  if (fields === keys.length && plain) {
    keys.sort()
    return
  }
  if (fields === 0 || !plain) {
    keys.sort((a, b) => comparePathElements(elementOf(a), elementOf(b)))
    return
  }
  const f: string[] = []
  const rest: string[] = []
  for (const k of keys) (k.charCodeAt(0) === 102 && k.charCodeAt(1) === 58 ? f : rest).push(k)
  f.sort()
  rest.sort((a, b) => comparePathElements(elementOf(a), elementOf(b)))
  keys.length = 0
  for (const k of f) keys.push(k)
  for (const k of rest) keys.push(k)
}

/** Whether `v` (a plain object) has a key other than `"."`. */
function hasElementKey(v: object): boolean {
  for (const k in v) if (k !== '.') return true
  return false
}

/**
 * The path element of each key seen in a normalised fieldsV1 (its serialized form is the key
 * itself); null for keys that are not. Bounded: cleared when it grows large.
 */
const normalKeys = new Map<string, PathElement | null>()
const NORMAL_KEYS_MAX = 50_000

/** The element of a key that serializes back to itself, or null (unknown type, malformed, other spelling). */
function normalKey(key: string): PathElement | null {
  let pe = normalKeys.get(key)
  if (pe !== undefined) return pe
  if (key.startsWith('f:')) pe = { field: key.slice(2) }
  else {
    try {
      const d = deserializePathElement(key)
      pe = d !== undefined && serializePathElement(d) === key ? d : null
    } catch {
      pe = null
    }
  }
  if (normalKeys.size >= NORMAL_KEYS_MAX) normalKeys.clear()
  normalKeys.set(key, pe)
  return pe
}

/**
 * Whether a fieldsV1 node is exactly what FieldSet's encoder writes for the set it decodes to:
 * every key a known element spelled as the encoder spells it, values plain objects, keys in SMD
 * order, `"."` last and empty (and never alone, nor at the root). Such a node can be read lazily,
 * level by level, and an unread subtree re-encodes to itself. Anything else is decoded eagerly.
 */
export function isNormalFieldsV1(node: unknown, root = false): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false
  let prev: PathElement | undefined
  let dot = false
  let n = 0
  for (const key in node) {
    const v = (node as Record<string, unknown>)[key]
    if (dot) return false
    if (key === '.') {
      if (root || n === 0 || typeof v !== 'object' || v === null || Array.isArray(v) || hasAnyKey(v)) return false
      dot = true
      continue
    }
    const pe = normalKey(key)
    if (pe === null) return false
    if (prev !== undefined && comparePathElements(prev, pe) >= 0) return false
    if (!isNormalFieldsV1(v)) return false
    prev = pe
    n++
  }
  return true
}

function hasAnyKey(v: object): boolean {
  for (const _ in v) return true
  return false
}
