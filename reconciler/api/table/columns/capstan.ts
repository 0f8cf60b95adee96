/**
 * Columns of capstan's own kinds (group capstan.dev), from schemas/nodepool.json and syncrecord.json:
 * NodePool  spec.region, spec.zones[], spec.nodesPerZone or spec.zoneCounts, spec.machineType.name,
 *           status.nodes and status.readyNodes.
 * SyncRecord spec.commit, spec.subject, spec.result, spec.changes[].
 */
import { arr, getPath, str } from '../get-path.js'
import type { Column, KubeObject } from '../types.js'
import { ageColumn, int, nameColumn } from './common.js'

/** The first of several paths that holds a value. */
function first(obj: KubeObject, paths: string[]): unknown {
  for (const p of paths) {
    const v = getPath(obj, p)
    if (v !== undefined && v !== null) return v
  }
  return undefined
}

/** Desired nodes: the per-zone counts when given, else nodesPerZone in every zone. */
function desiredNodes(o: KubeObject): number {
  const counts = getPath(o, 'spec.zoneCounts')
  if (counts && typeof counts === 'object') return Object.values(counts as Record<string, unknown>).reduce<number>((n, c) => n + int(c), 0)
  return int(getPath(o, 'spec.nodesPerZone')) * arr(o, 'spec.zones').length
}

/** NAME REGION ZONES NODES READY MACHINE-TYPE AGE; NODES is current nodes, READY "ready/desired". */
export const nodePoolColumns: Column[] = [
  nameColumn,
  { name: 'Region', priority: 0, type: 'string', description: 'The region of the pool.', cell: (o) => str(o, 'spec.region') || '<none>' },
  { name: 'Zones', priority: 0, type: 'string', description: 'The zones the pool spreads its nodes over.', cell: (o) => arr(o, 'spec.zones').map(String).join(',') || '<none>' },
  { name: 'Nodes', priority: 0, type: 'integer', description: 'The number of nodes the pool has.', cell: (o) => int(getPath(o, 'status.nodes')) },
  { name: 'Ready', priority: 0, type: 'string', description: 'Ready nodes out of the desired number.', cell: (o) => `${int(getPath(o, 'status.readyNodes'))}/${desiredNodes(o)}` },
  { name: 'Machine-Type', priority: 0, type: 'string', description: 'The machine type of the pool\'s nodes.', cell: (o) => str(o, 'spec.machineType.name') || '<none>' },
  ageColumn,
]

const field = (o: KubeObject, name: string): unknown => first(o, [`spec.${name}`])

/** The number of changes of a sync record: the length of its change list, or a count. */
function changeCount(o: KubeObject): number {
  const v = field(o, 'changes')
  if (Array.isArray(v)) return v.length
  return int(v)
}

/** NAME COMMIT SUBJECT RESULT CHANGES AGE; COMMIT is the short (7-character) hash. */
export const syncRecordColumns: Column[] = [
  nameColumn,
  { name: 'Commit', priority: 0, type: 'string', description: 'The commit that was synced (short hash).', cell: (o) => String(field(o, 'commit') ?? '').slice(0, 7) },
  { name: 'Subject', priority: 0, type: 'string', description: 'The subject line of the commit.', cell: (o) => String(field(o, 'subject') ?? '') },
  { name: 'Result', priority: 0, type: 'string', description: 'The outcome of the sync.', cell: (o) => String(field(o, 'result') ?? '') },
  { name: 'Changes', priority: 0, type: 'integer', description: 'The number of objects the sync changed.', cell: (o) => changeCount(o) },
  ageColumn,
]

