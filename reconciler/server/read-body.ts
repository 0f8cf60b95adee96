/** Reads and decodes a request body: JSON, or YAML for server-side apply. */
import type { IncomingMessage } from 'node:http'
import { parse as parseYaml } from 'yaml'
import { ApiError, badRequest } from '../api/errors.js'
import { decodeKubernetesProtobuf } from './protobuf/decode.js'

/** kube-apiserver's limit on a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024

/** The raw body, refused with 413 beyond the limit. */
export async function readRaw(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new ApiError('RequestEntityTooLarge', 'Request entity too large: limit is 3145728')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase()
}

/**
 * Decodes a body by its Content-Type: Kubernetes protobuf (the kinds kubectl's typed create commands
 * send), YAML (apply patches, application/yaml), else JSON. Empty → undefined.
 */
export function decodeBody(raw: Buffer, o: { yaml?: boolean; contentType?: string } = {}): unknown {
  const type = mediaType(o.contentType)
  if (type === 'application/vnd.kubernetes.protobuf' && raw.length > 0) return decodeKubernetesProtobuf(raw)
  const text = raw.toString('utf8')
  if (text.trim() === '') return undefined
  if (o.yaml || type === 'application/yaml') {
    try {
      return parseYaml(text, { maxAliasCount: 100, uniqueKeys: false })
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`)
  }
}
