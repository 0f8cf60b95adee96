/** Shared types of the printers. */

/** A Kubernetes object as plain JSON (what the API returns). */
export type KubeObject = {
  apiVersion?: string
  kind?: string
  metadata?: ObjectMeta
  [key: string]: unknown
}

/** The part of metadata the printers read. */
export type ObjectMeta = {
  name?: string
  namespace?: string
  creationTimestamp?: string | null
  deletionTimestamp?: string | null
  labels?: Record<string, string>
  annotations?: Record<string, string>
  resourceVersion?: string
  [key: string]: unknown
}

/** What a cell holds: kubectl prints it with Go's fmt.Sprint. */
export type CellValue = string | number | boolean | null

/** Context for computing cells: capstan's (possibly virtual) clock. */
export type PrintContext = { now: Date }

/** One table column: its header, whether it shows only with -o wide, and how to compute a cell. */
export type Column = {
  /** As in the server's column definition ("Up-to-date"); kubectl upper-cases it. */
  name: string
  /** 0 = always shown, 1 = only with -o wide. */
  priority: 0 | 1
  /** OpenAPI type of the cell: "string", "integer", "boolean", "number". */
  type?: 'string' | 'integer' | 'boolean' | 'number'
  /** "name" for the column that holds the object's name. */
  format?: string
  description?: string
  cell: (obj: KubeObject, ctx: PrintContext) => CellValue
}

/** meta.k8s.io/v1 TableColumnDefinition. */
export type TableColumnDefinition = {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

/** meta.k8s.io/v1 TableRow. */
export type TableRow = {
  cells: CellValue[]
  object?: KubeObject
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>
}

/** meta.k8s.io/v1 Table. */
export type Table = {
  kind: 'Table'
  apiVersion: 'meta.k8s.io/v1'
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number }
  columnDefinitions: TableColumnDefinition[]
  rows: TableRow[]
}
