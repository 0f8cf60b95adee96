/** Builds the meta.k8s.io/v1 Table that kube-apiserver returns for `Accept: as=Table`. */
import { columnsFor } from './columns.js'
import type { Column, KubeObject, PrintContext, Table, TableRow } from './types.js'

/** How much of each object a row carries (the includeObject query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object'

/** Options of buildTable. */
export type BuildTableOptions = PrintContext & {
  /** Columns to use; by default those of the first object's kind. */
  columns?: Column[]
  /**
   * Unclipped load-balancer cells (EXTERNAL-IP, ADDRESS). kube-apiserver always converts with
   * Wide: true, so kubectl never shows them clipped; default true for that reason.
   */
  wide?: boolean
  includeObject?: IncludeObject
  /** Omit column definitions (watch events after the first). */
  noHeaders?: boolean
  resourceVersion?: string
}

/** The object a row carries: PartialObjectMetadata by default, as kubectl asks for. */
function rowObject(obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined
  if (include === 'Object') return obj
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} }
}

/** Completed rows: the row conditions printPod sets for Succeeded and Failed pods. */
function rowConditions(obj: KubeObject): TableRow['conditions'] {
  if (obj.kind !== 'Pod') return undefined
  const phase = (obj.status as { phase?: string } | undefined)?.phase
  if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]
  return undefined
}

/**
 * A Table of the objects. Like the server, every column's cells are computed (wide ones too),
 * and priority tells the client which to show.
 */
export function buildTable(objects: KubeObject[], options: BuildTableOptions): Table {
  const { includeObject = 'Metadata' } = options
  const columns = options.columns ?? (objects.length > 0 ? columnsFor(objects[0].kind ?? '', objects[0].apiVersion) : columnsFor(''))
  const ctx = { now: options.now, wide: options.wide ?? true }
  const rows: TableRow[] = objects.map((obj) => {
    const row: TableRow = { cells: columns.map((c) => c.cell(obj, ctx)) }
    const conditions = rowConditions(obj)
    if (conditions) row.conditions = conditions
    const o = rowObject(obj, includeObject)
    if (o) row.object = o
    return row
  })
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {},
    columnDefinitions: options.noHeaders ? [] : columns.map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority,
    })),
    rows,
  }
}
