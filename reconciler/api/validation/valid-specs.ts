/**
 * Pod specs already found valid. The ReplicaSet controller creates every pod of a ReplicaSet from
 * the same template, so the same defaulted spec comes through the schema pass and ValidatePodSpec
 * again and again (and a ReplicaSet's template again on every scale); the answer depends on the
 * spec alone. Only specs found valid are kept (so a problem is always worked out and worded
 * afresh), as private copies, compared exactly (same keys in the same order, same values,
 * undefined included); bounded. The specs are JSON data (the API's own copies of what a client
 * sent): plain objects, lists and scalars.
 */

/** Specs kept per bucket, and buckets kept, before a memo starts again. */
const PER_BUCKET = 4
const MAX_BUCKETS = 256

let enabled = true
const memos: Array<{ clear(): void }> = []

/** A bounded memo of pod specs found valid by one check. */
export interface SpecMemo {
  /** Whether `spec` is exactly a spec remembered before. */
  has(spec: unknown): boolean
  /** Remembers `spec` (a private copy), found valid. */
  add(spec: unknown): void
}

/** A cheap bucket for a spec: its containers' count and first image (a template's usual difference). */
function bucketOf(spec: unknown): string | undefined {
  if (!isPlainRecord(spec)) return undefined
  const containers = spec.containers
  if (!Array.isArray(containers)) return ''
  const first: unknown = containers[0]
  const image = isPlainRecord(first) && typeof first.image === 'string' ? first.image : ''
  return `${containers.length}\u0000${image}`
}

/** A new, empty memo (emptied again by setValidSpecMemo). */
function specMemo(): SpecMemo & { clear(): void } {
  const buckets = new Map<string, Known[]>()
  const memo = {
    has(spec: unknown): boolean {
      if (!enabled) return false
      const b = bucketOf(spec)
      const list = b === undefined ? undefined : buckets.get(b)
      if (!list) return false
      for (let i = 0; i < list.length; i++) if (sameAs(spec, list[i])) return true
      return false
    },
    add(spec: unknown): void {
      if (!enabled) return
      const b = bucketOf(spec)
      if (b === undefined) return
      const k = known(spec)
      if (!k) return
      let list = buckets.get(b)
      if (!list) {
        if (buckets.size >= MAX_BUCKETS) buckets.clear()
        buckets.set(b, (list = []))
      }
      if (list.length >= PER_BUCKET) list.shift()
      list.push(k)
    },
    clear: () => buckets.clear(),
  }
  memos.push(memo)
  return memo
}

/** Specs of new pods that passed every check (the schema pass and ValidatePodSpec among them). */
export const validNewPodSpecs: SpecMemo = specMemo()

/** Specs ValidatePodSpec found nothing wrong with (under any path: the path only words problems). */
export const podSpecsPassingRules: SpecMemo = specMemo()

/** Whether `spec` is exactly the spec of a new pod that passed every check before. */
export function isKnownValidPodSpec(spec: unknown): boolean {
  return validNewPodSpecs.has(spec)
}

/** Remembers `spec`, the spec of a new pod that passed every check. */
export function rememberValidPodSpec(spec: unknown): void {
  validNewPodSpecs.add(spec)
}

/** Turns the memos on or off, emptying them (tests compare results with and without them). */
export function setValidSpecMemo(on: boolean): void {
  enabled = on
  for (const m of memos) m.clear()
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** A remembered value, taken apart once: a scalar, a list's items, or an object's keys (in order) and members. */
type Known = { scalar: unknown } | { items: Known[] } | { keys: string[]; members: Known[] }

/** `v` taken apart (a private deep copy); undefined if it holds anything but plain objects, dense lists and scalars. */
function known(v: unknown): Known | undefined {
  if (typeof v !== 'object' || v === null) return typeof v === 'function' || typeof v === 'symbol' ? undefined : { scalar: v }
  if (Array.isArray(v)) {
    const items: Known[] = []
    for (let i = 0; i < v.length; i++) {
      // A hole or an undefined item (never in JSON) is not remembered: a validator could tell them apart.
      const item = Object.hasOwn(v, i) && v[i] !== undefined ? known(v[i]) : undefined
      if (!item) return undefined
      items.push(item)
    }
    return { items }
  }
  if (!isPlainRecord(v)) return undefined
  const keys = Object.keys(v)
  const members: Known[] = []
  for (const k of keys) {
    const m = known(v[k])
    if (!m) return undefined
    members.push(m)
  }
  return { keys, members }
}

/**
 * Whether `a` is exactly the value `b` was, as any validator could see it: scalars by Object.is,
 * lists item by item, plain objects by their own keys in the same order (an undefined member is
 * not an absent one).
 */
function sameAs(a: unknown, b: Known): boolean {
  if ('scalar' in b) return Object.is(a, b.scalar)
  if (typeof a !== 'object' || a === null) return false
  if ('items' in b) {
    if (!Array.isArray(a) || a.length !== b.items.length) return false
    // A hole reads as undefined, which no remembered item is (see known).
    for (let i = 0; i < a.length; i++) if (!sameAs(a[i], b.items[i])) return false
    return true
  }
  if (!isPlainRecord(a)) return false
  const keys = Object.keys(a)
  const bk = b.keys
  if (keys.length !== bk.length) return false
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]
    if (k !== bk[i] || !sameAs(a[k], b.members[i])) return false
  }
  return true
}
