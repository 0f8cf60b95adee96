/**
 * Decodes a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`: the `k8s\0` magic and
 * a runtime.Unknown envelope) into a JSON object, for the kinds in MESSAGES.
 */
import { ApiError } from '../../api/errors.js'
import { MESSAGES, type Message } from './messages.js'
import { readFields, WireError, type WireField } from './wire.js'

const MAGIC = [0x6b, 0x38, 0x73, 0x00]
const utf8 = new TextDecoder()

function unsupported(what: string): ApiError {
  return new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - ${what}; send application/json`)
}

function scalar(f: WireField, type: string): unknown {
  switch (type) {
    case 'string':
      return utf8.decode(f.bytes ?? new Uint8Array())
    case 'bytes':
      return Buffer.from(f.bytes ?? new Uint8Array()).toString('base64')
    case 'bool':
      return f.varint !== 0n
    case 'int32':
    case 'int64':
      return Number(BigInt.asIntN(64, f.varint ?? 0n))
    case 'time': {
      let seconds = 0
      let nanos = 0
      for (const t of readFields(f.bytes ?? new Uint8Array())) {
        if (t.field === 1) seconds = Number(BigInt.asIntN(64, t.varint ?? 0n))
        if (t.field === 2) nanos = Number(t.varint ?? 0n)
      }
      if (seconds === 0 && nanos === 0) return undefined
      return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z')
    }
  }
  return undefined
}

/** Decodes one message by its descriptor; unknown fields are skipped. */
export function decodeMessage(buf: Uint8Array, msg: Message): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of readFields(buf)) {
    const spec = msg[f.field]
    if (!spec) continue
    if (spec.map) {
      let key = ''
      let value: unknown = ''
      for (const e of readFields(f.bytes ?? new Uint8Array())) {
        if (e.field === 1) key = scalar(e, 'string') as string
        if (e.field === 2) value = scalar(e, spec.map)
      }
      const m = (out[spec.name] ??= {}) as Record<string, unknown>
      m[key] = value
      continue
    }
    const v = typeof spec.type === 'object' ? decodeMessage(f.bytes ?? new Uint8Array(), spec.type) : scalar(f, spec.type)
    // Go writes every non-pointer field; JSON's omitempty would leave empty strings and zero times out.
    if (v === undefined || (v === '' && spec.type === 'string' && !spec.repeated)) continue
    if (spec.repeated) ((out[spec.name] ??= []) as unknown[]).push(v)
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
        for (const t of readFields(f.bytes ?? new Uint8Array())) {
          if (t.field === 1) apiVersion = utf8.decode(t.bytes)
          if (t.field === 2) kind = utf8.decode(t.bytes)
        }
      } else if (f.field === 2) raw = f.bytes
    }
    const msg = MESSAGES[kind]
    if (!msg) throw unsupported(`protobuf decoding of kind "${kind}" is not supported`)
    return { apiVersion, kind, ...decodeMessage(raw ?? new Uint8Array(), msg) }
  } catch (err) {
    if (err instanceof WireError) throw new ApiError('BadRequest', `unable to decode protobuf body: ${err.message}`)
    throw err
  }
}
