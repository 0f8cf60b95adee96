/**
 * The nodes a NodePool wants, as pure arithmetic: which zones, how many nodes in each, and their
 * names, `<pool>-<zone suffix>-<n>` with n from 1, where the zone suffix is the zone without the
 * region prefix (pool `us-central1`, region `us-central1`, zone `us-central1-b` → `us-central1-b-1`,
 * `us-central1-b-2`, …; zone `eu-x` outside the region → `<pool>-eu-x-1`). A pool with no zones
 * places its nodes in one unnamed zone: `<pool>-1`, `<pool>-2`, ….
 */

/** A NodePool's spec, as far as the layout goes. */
export interface NodePoolSpec {
  region?: string
  zones?: string[]
  nodesPerZone?: number
  zoneCounts?: Record<string, number>
  machineType: { name?: string; cpu: string | number; memory: string | number; pods?: number }
  labels?: Record<string, string>
  taints?: Array<{ key: string; value?: string; effect: string }>
}

/** One wanted node. */
export interface WantedNode {
  name: string
  zone: string
  /** Position of the zone in the pool (0-based) and of the node in its zone (1-based). */
  zoneIndex: number
  index: number
}

/** The zones of the pool in order: `zones`, then zones only `zoneCounts` names (sorted). */
export function poolZones(spec: NodePoolSpec): string[] {
  const zones = [...(spec.zones ?? [])]
  for (const z of Object.keys(spec.zoneCounts ?? {}).sort()) if (!zones.includes(z)) zones.push(z)
  return zones.length ? zones : ['']
}

/** The number of nodes wanted in `zone`. */
export function zoneCount(spec: NodePoolSpec, zone: string): number {
  return spec.zoneCounts?.[zone] ?? spec.nodesPerZone ?? 0
}

/** The name suffix of a zone: the zone without `<region>-`. */
export function zoneSuffix(zone: string, region: string | undefined): string {
  return region && zone.startsWith(`${region}-`) ? zone.slice(region.length + 1) : zone
}

/** The name of node `index` of `zone` in pool `pool`. */
export function nodeName(pool: string, spec: NodePoolSpec, zone: string, index: number): string {
  const suffix = zoneSuffix(zone, spec.region)
  return suffix ? `${pool}-${suffix}-${index}` : `${pool}-${index}`
}

/** Every node the pool wants, zone by zone. */
export function wantedNodes(pool: string, spec: NodePoolSpec): WantedNode[] {
  const out: WantedNode[] = []
  poolZones(spec).forEach((zone, zoneIndex) => {
    const n = zoneCount(spec, zone)
    for (let index = 1; index <= n; index++) out.push({ name: nodeName(pool, spec, zone, index), zone, zoneIndex, index })
  })
  return out
}

/** The InternalIP of a node: 10.128+zone.(n >> 8).(n & 255). Example: zone 1, node 3 → 10.129.0.3. */
export function nodeIP(zoneIndex: number, index: number): string {
  return `10.${128 + (zoneIndex % 128)}.${(index >> 8) & 255}.${index & 255}`
}

/**
 * The node's /24 pod range, inside 10.64.0.0/11 (10.64.0.0–10.95.255.255): clear of the Service
 * range 10.96.0.0/12 and of the node addresses 10.128+. Each zone has room for 1,024 nodes.
 * Example: zone 2, node 3 → ordinal 2,051 → 10.72.3.0/24.
 */
export function podCIDR(zoneIndex: number, index: number): string {
  const ordinal = (zoneIndex % 8) * 1024 + index
  return `10.${64 + ((ordinal >> 8) & 31)}.${ordinal & 255}.0/24`
}
