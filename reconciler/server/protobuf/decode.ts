/**
 * Decodes a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`: the `k8s\0` magic and
 * a runtime.Unknown envelope) into the JSON object Kubernetes would see, for the messages in
 * messages.ts. A field number a message's descriptor does not know is refused (415, naming the
 * message and the field) rather than dropped; a status is read past as a whole (FieldSpec.ignore).
 */
import { ApiError } from '../../api/errors.js'
import { messageFor, type FieldSpec, type FieldType, type Message } from './messages.js'
import { readFields, readPackedVarints, WireError, type WireField } from './wire.js'

const MAGIC = [0x6b, 0x38, 0x73, 0x00]
const utf8 = new TextDecoder('utf-8', { fatal: false })
const EMPTY = new Uint8Array()
const VARINT_TYPES = new Set<FieldType>(['bool', 'int32', 'int64'])
const ZEROABLE = new Set<FieldType>(['string', 'bytes', 'bool', 'int32', 'int64'])

function unsupported(what: string): ApiError {
  return new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - ${what}; send application/json`)
}

function unknownField(field: number, msg: string, path: string): ApiError {
  return unsupported(`protobuf field ${field} of ${msg}${path ? ` (in ${path})` : ''} is not supported`)
}

function expectWire(f: WireField, wireType: number, msg: string): void {
  if (f.wireType !== wireType) throw new WireError(`field ${f.field} of ${msg} has wire type ${f.wireType}, expected ${wireType}`)
}

function varintValue(v: bigint, type: FieldType): unknown {
  if (type === 'bool') return v !== 0n
  if (type === 'int32') return Number(BigInt.asIntN(32, v))
  return Number(BigInt.asIntN(64, v))
}

/** meta/v1 Time {seconds 1, nanos 2} as JSON writes it (RFC 3339, whole seconds); zero → left out. */
function time(buf: Uint8Array): string | undefined {
  let seconds = 0
  let nanos = 0
  for (const t of readFields(buf)) {
    if (t.field === 1) seconds = Number(BigInt.asIntN(64, t.varint ?? 0n))
    if (t.field === 2) nanos = Number(BigInt.asIntN(32, t.varint ?? 0n))
  }
  if (seconds === 0 && nanos === 0) return undefined
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** resource.Quantity {string 1}: its string ("0" when absent, as Go's zero Quantity). */
function quantity(buf: Uint8Array, path: string): string {
  let s: string | undefined
  for (const t of readFields(buf)) {
    if (t.field !== 1) throw unknownField(t.field, 'Quantity', path)
    expectWire(t, 2, 'Quantity')
    s = utf8.decode(t.bytes)
  }
  if (s === '') throw new WireError(`quantity at ${path} is empty`)
  return s ?? '0'
}

/** intstr.IntOrString {type 1, intVal 2, strVal 3}: a number (type 0) or a string (type 1). */
function intOrString(buf: Uint8Array, path: string): number | string {
  let type = 0n
  let intVal = 0
  let strVal = ''
  for (const t of readFields(buf)) {
    if (t.field === 1 || t.field === 2) expectWire(t, 0, 'IntOrString')
    else if (t.field === 3) expectWire(t, 2, 'IntOrString')
    else throw unknownField(t.field, 'IntOrString', path)
    if (t.field === 1) type = t.varint ?? 0n
    if (t.field === 2) intVal = Number(BigInt.asIntN(32, t.varint ?? 0n))
    if (t.field === 3) strVal = utf8.decode(t.bytes)
  }
  return type === 1n ? strVal : intVal
}

/** meta/v1 FieldsV1 {Raw 1}: the JSON it carries. */
function fieldsV1(buf: Uint8Array, path: string): unknown {
  let raw: Uint8Array | undefined
  for (const t of readFields(buf)) {
    if (t.field !== 1) throw unknownField(t.field, 'FieldsV1', path)
    expectWire(t, 2, 'FieldsV1')
    raw = t.bytes
  }
  if (!raw || raw.length === 0) return undefined
  try {
    return JSON.parse(utf8.decode(raw))
  } catch {
    throw new WireError(`FieldsV1 at ${path} is not JSON`)
  }
}

/** One non-message value; undefined when JSON would leave it out (a zero time, an empty FieldsV1). */
function scalar(f: WireField, type: Exclude<FieldType, Message>, msg: string, path: string): unknown {
  if (VARINT_TYPES.has(type)) {
    expectWire(f, 0, msg)
    return varintValue(f.varint ?? 0n, type)
  }
  expectWire(f, 2, msg)
  const bytes = f.bytes ?? EMPTY
  switch (type) {
    case 'string':
      return utf8.decode(bytes)
    case 'bytes':
      return Buffer.from(bytes).toString('base64')
    case 'time':
      return time(bytes)
    case 'quantity':
      return quantity(bytes, path)
    case 'intOrString':
      return intOrString(bytes, path)
    case 'fieldsV1':
      return fieldsV1(bytes, path)
  }
  return undefined
}

/** A map<string, V> entry {key 1, value 2}. */
function mapEntry(f: WireField, spec: FieldSpec, msg: string, path: string): [string, unknown] {
  expectWire(f, 2, msg)
  const type = spec.map ?? 'string'
  let key = ''
  let value: unknown
  for (const e of readFields(f.bytes ?? EMPTY)) {
    if (e.field === 1) key = scalar(e, 'string', `${msg}.${spec.name}`, path) as string
    else if (e.field === 2) value = scalar(e, type, `${msg}.${spec.name}`, `${path}.${key}`)
    else throw new WireError(`field ${e.field} in a map entry of ${msg}.${spec.name}`)
  }
  return [key, value ?? (type === 'quantity' ? '0' : '')]
}

/** Decodes one message by its descriptor into `out` (repeated occurrences of a message merge, as in Go). */
export function decodeMessage(buf: Uint8Array, msg: Message, out: Record<string, unknown> = {}, path = ''): Record<string, unknown> {
  for (const f of readFields(buf)) {
    const spec = msg.fields[f.field]
    if (!spec) throw unknownField(f.field, msg.name, path)
    if (spec.ignore) {
      expectWire(f, 2, msg.name)
      continue
    }
    const at = path ? `${path}.${spec.name}` : spec.name
    if (spec.map) {
      const [key, value] = mapEntry(f, spec, msg.name, at)
      ;((out[spec.name] ??= {}) as Record<string, unknown>)[key] = value
      continue
    }
    const type = spec.type
    if (typeof type === 'object') {
      expectWire(f, 2, msg.name)
      const bytes = f.bytes ?? EMPTY
      if (spec.repeated) {
        const list = (out[spec.name] ??= []) as unknown[]
        list.push(decodeMessage(bytes, type, {}, `${at}[${list.length}]`))
      } else if (spec.inline) {
        decodeMessage(bytes, type, out, path)
      } else {
        const prev = out[spec.name]
        out[spec.name] = decodeMessage(bytes, type, typeof prev === 'object' && prev !== null ? (prev as Record<string, unknown>) : {}, at)
      }
      continue
    }
    if (spec.repeated) {
      const list = (out[spec.name] ??= []) as unknown[]
      // proto2 writes repeated numbers one by one; a packed encoding is accepted too.
      if (VARINT_TYPES.has(type) && f.wireType === 2) for (const v of readPackedVarints(f.bytes ?? EMPTY)) list.push(varintValue(v, type))
      else list.push(scalar(f, type, msg.name, at))
      continue
    }
    const v = scalar(f, type, msg.name, at)
    // Go writes every non-pointer field; JSON's omitempty leaves zero values (and zero times) out.
    if (v === undefined || (!spec.keep && ZEROABLE.has(type) && (v === '' || v === 0 || v === false))) delete out[spec.name]
    else out[spec.name] = v
  }
  return out
}

/** The object a protobuf request body carries. */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) throw unsupported('protobuf without the k8s magic prefix')
  try {
    let apiVersion = ''
    let kind = ''
    let raw: Uint8Array | undefined
    for (const f of readFields(body.subarray(4))) {
      if (f.field === 1) {
        for (const t of readFields(f.bytes ?? EMPTY)) {
          if (t.field === 1) apiVersion = utf8.decode(t.bytes)
          if (t.field === 2) kind = utf8.decode(t.bytes)
        }
      } else if (f.field === 2) raw = f.bytes
    }
    const msg = messageFor(apiVersion, kind)
    if (!msg) throw unsupported(`protobuf decoding of kind "${kind}" (${apiVersion}) is not supported`)
    return { apiVersion, kind, ...decodeMessage(raw ?? EMPTY, msg) }
  } catch (err) {
    if (err instanceof WireError) throw new ApiError('BadRequest', `unable to decode protobuf body: ${err.message}`)
    throw err
  }
}
