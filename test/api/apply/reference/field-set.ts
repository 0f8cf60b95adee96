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

/** A set of paths. Operations return new sets; `insert` is for building one. */
export class FieldSet {
  private readonly members = new Map<string, PathElement>()
  private readonly children = new Map<string, Child>()

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
    const k = serializePathElement(pe)
    let c = this.children.get(k)
    if (!c) this.children.set(k, (c = { pe, set: new FieldSet() }))
    return c.set
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
    // The next write of the object this set is stored with decodes it for free.
    decoded.set(out, this)
    return out
  }

  private emit(includeSelf: boolean): FieldsV1 {
    const out: FieldsV1 = {}
    const keys = new Map<string, PathElement>()
    for (const [k, pe] of this.members) keys.set(k, pe)
    for (const [k, c] of this.children) keys.set(k, c.pe)
    const ordered = [...keys.entries()].sort((a, b) => comparePathElements(a[1], b[1]))
    for (const [k] of ordered) {
      const c = this.children.get(k)
      out[k] = c ? c.set.emit(this.members.has(k)) : {}
    }
    if (includeSelf && ordered.length > 0) out['.'] = {}
    return out
  }

  /** Reads a `fieldsV1` object. Unknown element types are skipped, as SMD does; malformed keys throw. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const isObj = typeof fields === 'object' && fields !== null && !Array.isArray(fields)
    const known = isObj ? decoded.get(fields) : undefined
    if (known) return known
    const set = FieldSet.readNode(fields).set ?? new FieldSet()
    if (isObj) {
      encoded.set(set, fields as FieldsV1)
      decoded.set(fields, set)
    }
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
