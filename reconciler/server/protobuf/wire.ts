/** Reading Protocol Buffers wire format: varints, tags and length-delimited fields. */

/** One field as read from the wire. */
export interface WireField {
  field: number
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: number
  /** Varints as bigint (int64 values may exceed 2^53). */
  varint?: bigint
  bytes?: Uint8Array
}

/** Malformed protobuf input. */
export class WireError extends Error {
  override name = 'WireError'
}

function readVarint(buf: Uint8Array, at: number): [bigint, number] {
  let result = 0n
  let shift = 0n
  for (let i = at; i < buf.length && shift < 70n; i++) {
    const b = buf[i]
    result |= BigInt(b & 0x7f) << shift
    if ((b & 0x80) === 0) return [result, i + 1]
    shift += 7n
  }
  throw new WireError('truncated varint')
}

/** The fields of a message, in wire order. */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = []
  let at = 0
  while (at < buf.length) {
    const [tag, next] = readVarint(buf, at)
    at = next
    const field = Number(tag >> 3n)
    const wireType = Number(tag & 7n)
    if (wireType === 0) {
      const [v, n] = readVarint(buf, at)
      out.push({ field, wireType, varint: v })
      at = n
    } else if (wireType === 2) {
      const [len, n] = readVarint(buf, at)
      const end = n + Number(len)
      if (end > buf.length) throw new WireError('truncated field')
      out.push({ field, wireType, bytes: buf.subarray(n, end) })
      at = end
    } else if (wireType === 1) {
      if (at + 8 > buf.length) throw new WireError('truncated fixed64')
      out.push({ field, wireType, bytes: buf.subarray(at, at + 8) })
      at += 8
    } else if (wireType === 5) {
      if (at + 4 > buf.length) throw new WireError('truncated fixed32')
      out.push({ field, wireType, bytes: buf.subarray(at, at + 4) })
      at += 4
    } else {
      throw new WireError(`unsupported wire type ${wireType}`)
    }
  }
  return out
}

/** The varints of a packed repeated scalar field (its length-delimited bytes). */
export function readPackedVarints(buf: Uint8Array): bigint[] {
  const out: bigint[] = []
  let at = 0
  while (at < buf.length) {
    const [v, next] = readVarint(buf, at)
    out.push(v)
    at = next
  }
  return out
}
