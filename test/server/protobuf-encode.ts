/**
 * A small Protocol Buffers writer for tests: builds Kubernetes protobuf bodies by hand, field
 * number by field number (as Go's generated marshallers write them), independently of the
 * descriptors capstan decodes with.
 */

/** One encoded field (or several, concatenated). */
export type Part = Uint8Array

function varint(v: bigint): number[] {
  // Negative int32 and int64 values are written as their 64-bit two's complement (10 bytes).
  let u = BigInt.asUintN(64, v)
  const out: number[] = []
  do {
    let b = Number(u & 0x7fn)
    u >>= 7n
    if (u !== 0n) b |= 0x80
    out.push(b)
  } while (u !== 0n)
  return out
}

const tag = (field: number, wireType: number): number[] => varint(BigInt((field << 3) | wireType))
const concat = (parts: Part[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]))

/** A varint field (int32, int64, bool). */
export const int = (field: number, v: number | bigint | boolean): Part =>
  Uint8Array.from([...tag(field, 0), ...varint(typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v))])
/** A length-delimited field holding raw bytes. */
export const bytes = (field: number, b: Uint8Array): Part => Uint8Array.from([...tag(field, 2), ...varint(BigInt(b.length)), ...b])
/** A string field. */
export const str = (field: number, s: string): Part => bytes(field, new TextEncoder().encode(s))
/** A nested message field. */
export const msg = (field: number, ...parts: Part[]): Part => bytes(field, concat(parts))
/** A packed repeated varint field. */
export const packed = (field: number, values: number[]): Part => bytes(field, Uint8Array.from(values.flatMap((v) => varint(BigInt(v)))))
/** A map<string, string> entry. */
export const entry = (field: number, key: string, value: string): Part => msg(field, str(1, key), str(2, value))
/** A map<string, Quantity> entry. */
export const quantityEntry = (field: number, key: string, value: string): Part => msg(field, str(1, key), msg(2, str(1, value)))
/** An IntOrString: a number or a string. */
export const intOrString = (field: number, v: number | string): Part =>
  typeof v === 'number' ? msg(field, int(1, 0), int(2, v), str(3, '')) : msg(field, int(1, 1), int(2, 0), str(3, v))
/** meta/v1 Time, as Go writes a zero time (an empty message). */
export const zeroTime = (field: number): Part => msg(field)

/** An ObjectMeta as Go writes it: every non-pointer field, empty or not. */
export function objectMeta(field: number, name: string, labels: Record<string, string> = {}): Part {
  return msg(field, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), int(7, 0), zeroTime(8), ...Object.entries(labels).map(([k, v]) => entry(11, k, v)))
}

/** A body: the `k8s\0` magic and the runtime.Unknown envelope {typeMeta 1, raw 2, contentEncoding 3, contentType 4}. */
export function envelope(apiVersion: string, kind: string, ...object: Part[]): Buffer {
  return Buffer.from(concat([Uint8Array.from([0x6b, 0x38, 0x73, 0x00]), msg(1, str(1, apiVersion), str(2, kind)), msg(2, ...object), str(3, ''), str(4, '')]))
}
