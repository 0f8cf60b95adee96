/**
 * What the API server does to an object before storing it, per operation (the registry strategies
 * of kube-apiserver): identity and timestamps on create, generation bumps on spec changes, and the
 * split between the main resource and its status subresource.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { KindInfo } from './kinds.js'
import { jsonEqual, type KObject } from './object.js'

/** RFC 3339 time with second precision, as metav1.Time serializes. */
export function formatTime(d: Date): string {
  // Writes come in runs at one instant (a virtual clock moves in steps): format each second once.
  const ms = d.getTime()
  const second = ms - (((ms % 1000) + 1000) % 1000)
  if (second === lastSecond && lastFormatted !== undefined) return lastFormatted
  lastFormatted = d.toISOString().replace(/\.\d{3}Z$/, 'Z')
  lastSecond = second
  return lastFormatted
}

let lastSecond = NaN
let lastFormatted: string | undefined

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789'

/**
 * Random bytes drawn in blocks, as crypto.randomUUID draws its entropy: one randomBytes call per
 * POOL_SIZE bytes instead of one per name (a call costs far more than the bytes it returns).
 */
const POOL_SIZE = 2048
let pool = Buffer.alloc(0)
let poolAt = 0

function randomByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(POOL_SIZE)
    poolAt = 0
  }
  return pool[poolAt++]
}

/**
 * `n` characters of NAME_CHARS, each uniformly drawn, as utilrand.String: a 5-bit index per draw,
 * redrawn when it falls outside the 27-character alphabet (no modulo bias).
 */
export function randomSuffix(n: number, next: () => number = randomByte): string {
  let out = ''
  while (out.length < n) {
    const i = next() & 31
    if (i < NAME_CHARS.length) out += NAME_CHARS[i]
  }
  return out
}

/** A name from `generateName`: the prefix and 5 random characters, as names.SimpleNameGenerator. */
export function generateName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix
  return base + randomSuffix(5)
}

/** Everything of an object except metadata and status: what a generation counts. */
function specOf(obj: KObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj
  return rest
}

/** Sets the fields the server owns on a new object. */
export function prepareForCreate(k: KindInfo, obj: KObject, now: Date): void {
  const m = obj.metadata
  if (!m.name && m.generateName) m.name = generateName(m.generateName)
  m.uid = randomUUID()
  m.creationTimestamp = formatTime(now)
  delete m.resourceVersion
  delete m.deletionTimestamp
  delete m.deletionGracePeriodSeconds
  if (k.generation) m.generation = 1
  else delete m.generation
  // A new object's status is the controllers' to write; a pod starts Pending with its QoS class.
  if (k.kind === 'Pod') obj.status = { phase: 'Pending', qosClass: qosClass(obj) }
  else if (k.hasStatus && k.kind !== 'Node' && k.kind !== 'Namespace') delete obj.status
}

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> }

/** The pod's QoS class (pkg/apis/core/helper/qos): Guaranteed, Burstable or BestEffort. */
export function qosClass(pod: KObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = (pod.spec ?? {}) as { containers?: Array<{ resources?: Resources }>; initContainers?: Array<{ resources?: Resources }> }
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
  let any = false
  let guaranteed = true
  for (const c of containers) {
    // A null (or otherwise not an object) container is the schema's to refuse, not a crash here.
    if (typeof c !== 'object' || c === null) continue
    const req = c.resources?.requests ?? {}
    const lim = c.resources?.limits ?? {}
    if (Object.keys(req).length || Object.keys(lim).length) any = true
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false
    }
  }
  if (!any) return 'BestEffort'
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

/** Carries the server-owned fields of `old` onto an update of the main resource. */
export function prepareForUpdate(k: KindInfo, obj: KObject, old: KObject): void {
  const m = obj.metadata
  const o = old.metadata
  m.uid = o.uid
  m.creationTimestamp = o.creationTimestamp
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp
  else delete m.deletionTimestamp
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds
  else delete m.deletionGracePeriodSeconds
  if (m.managedFields === undefined && o.managedFields) m.managedFields = o.managedFields
  if (k.hasStatus) {
    if (old.status === undefined) delete obj.status
    else obj.status = old.status
  }
  if (k.generation) {
    m.generation = (o.generation ?? 1) + (jsonEqual(specOf(obj), specOf(old)) ? 0 : 1)
  } else delete m.generation
}

/**
 * An update through the status subresource (the kinds' status strategies): status and annotations
 * come from the request; spec, labels and everything else stay as stored. This is how the Deployment
 * controller records `deployment.kubernetes.io/revision` with its status write.
 */
export function prepareForStatusUpdate(obj: KObject, old: KObject): KObject {
  const next: KObject = { ...old, metadata: { ...old.metadata }, status: obj.status }
  if (obj.status === undefined) delete next.status
  if (obj.metadata.annotations !== undefined) next.metadata.annotations = obj.metadata.annotations
  else delete next.metadata.annotations
  if (obj.metadata.managedFields) next.metadata.managedFields = obj.metadata.managedFields
  return next
}
