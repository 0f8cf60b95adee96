/** Reading the Accept header: Table, PartialObjectMetadata and aggregated discovery requests. */

/** One media range of an Accept header: type and parameters. */
export interface MediaRange {
  type: string
  params: Record<string, string>
}

/** The media ranges of an Accept header, in order. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return []
  return header.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim())
    const p: Record<string, string> = {}
    for (const kv of params) {
      const eq = kv.indexOf('=')
      if (eq > 0) p[kv.slice(0, eq).trim().toLowerCase()] = kv.slice(eq + 1).trim()
    }
    return { type: type.toLowerCase(), params: p }
  })
}

/** What representation a read asks for. */
export type Representation =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata' | 'PartialObjectMetadataList'; version: 'v1' | 'v1beta1' }

const jsonTypes = new Set(['application/json', 'application/*', '*/*', 'application/yaml'])

/**
 * The first representation of the Accept header that we serve: meta.k8s.io Table or
 * PartialObjectMetadata(List), else plain objects. Undefined when only unsupported types are asked
 * for (a 406).
 */
export function negotiateRepresentation(header: string | undefined): Representation | undefined {
  const ranges = parseAccept(header)
  if (ranges.length === 0) return { as: 'object' }
  for (const r of ranges) {
    if (!jsonTypes.has(r.type)) continue
    const as = r.params.as
    if (!as) return { as: 'object' }
    if (r.params.g !== 'meta.k8s.io' || (r.params.v !== 'v1' && r.params.v !== 'v1beta1')) continue
    if (as === 'Table' || as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as, version: r.params.v }
  }
  return undefined
}

/** The aggregated discovery version asked for (`as=APIGroupDiscoveryList`), if any. */
export function wantsAggregatedDiscovery(header: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(header)) {
    if (r.type !== 'application/json' || r.params.as !== 'APIGroupDiscoveryList' || r.params.g !== 'apidiscovery.k8s.io') continue
    if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v
  }
  return undefined
}
