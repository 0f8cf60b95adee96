/** Objects and lists in the representation the client asked for: as they are, as a Table, or as metadata. */
import { apiVersionOf, type KindInfo } from '../api/kinds.js'
import type { KObject } from '../api/object.js'
import type { ObjectList } from '../api/api-server.js'
import { buildTable, type IncludeObject } from '../api/table/build-table.js'
import { columnsFor } from '../api/table/columns.js'
import type { Table } from '../api/table/types.js'
import { badRequest } from '../api/errors.js'
import type { Representation } from './negotiate.js'

/** What a Table needs beyond the objects: the clock and the includeObject parameter. */
export interface PresentOptions {
  now: Date
  includeObject?: string | null
  /** Omit column definitions (watch events after the first). */
  noHeaders?: boolean
}

function includeOf(v: string | null | undefined): IncludeObject {
  if (!v) return 'Metadata'
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v
  throw badRequest(`includeObject must be one of None, Metadata, Object; got "${v}"`)
}

/** A Table of objects of one kind, with its list metadata. */
export function tableOf(k: KindInfo, objects: KObject[], rep: { version: string }, o: PresentOptions, listMeta?: ObjectList['metadata']): Table {
  const t = buildTable(objects, {
    now: o.now,
    columns: columnsFor(k.kind, apiVersionOf(k)),
    includeObject: includeOf(o.includeObject),
    noHeaders: o.noHeaders,
    resourceVersion: listMeta?.resourceVersion,
  })
  if (listMeta?.continue) t.metadata.continue = listMeta.continue
  if (listMeta?.remainingItemCount !== undefined) t.metadata.remainingItemCount = listMeta.remainingItemCount
  return { ...t, apiVersion: `meta.k8s.io/${rep.version}` as Table['apiVersion'] }
}

function partial(obj: KObject, version: string): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata }
}

/** One object as asked for. */
export function presentObject(k: KindInfo, obj: KObject, rep: Representation, o: PresentOptions): unknown {
  if (rep.as === 'Table') return tableOf(k, [obj], rep, o)
  if (rep.as === 'PartialObjectMetadata' || rep.as === 'PartialObjectMetadataList') return partial(obj, rep.version)
  return obj
}

/** A list as asked for. */
export function presentList(k: KindInfo, list: ObjectList, rep: Representation, o: PresentOptions): unknown {
  if (rep.as === 'Table') return tableOf(k, list.items, rep, o, list.metadata)
  if (rep.as === 'PartialObjectMetadata' || rep.as === 'PartialObjectMetadataList') {
    return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${rep.version}`, metadata: list.metadata, items: list.items.map((i) => partial(i, rep.version)) }
  }
  return list
}
