/** Prints a Table exactly as kubectl's human-readable printer does (cli-runtime tableprinter.go). */
import { tabwrite } from './tabwriter.js'
import { formatLabels } from '../../api/table/labels.js'
import { goSprint } from './go-format.js'
import type { KubeObject, Table, TableColumnDefinition, CellValue } from '../../api/table/types.js'

/** kubectl get's display flags. */
export type FormatTableOptions = {
  /** -o wide: show priority-1 columns too. */
  wide?: boolean
  /** -A: a NAMESPACE column first. */
  withNamespace?: boolean
  /** --show-labels: a LABELS column last ("<none>" when empty). */
  showLabels?: boolean
  /** -L key,…: one column per label key, headed by the key's last path segment. */
  columnLabels?: string[]
  /** --no-headers */
  noHeaders?: boolean
  /** --show-kind (or several kinds at once): "kind.group" prefixed to names, e.g. "deployment.apps". */
  withKind?: string
}

/** Cell text: Go's fmt.Sprint, cut at the first line break with "...", escape characters made visible. */
function cellText(cell: CellValue | undefined): string {
  if (cell === null || cell === undefined) return ''
  let s = typeof cell === 'string' ? cell : goSprint(cell)
  let truncated = false
  const br = s.search(/[\f\n\r]/)
  if (br >= 0) { s = s.slice(0, br); truncated = true }
  s = s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r')
  return truncated ? s + '...' : s
}

const metaOf = (obj: KubeObject | undefined): KubeObject['metadata'] | undefined => obj?.metadata

/** The header and row cells after kubectl's decoration (namespace, label columns, kind prefix). */
function decorate(table: Table, o: FormatTableOptions): { columns: TableColumnDefinition[]; rows: CellValue[][] } {
  const columns: TableColumnDefinition[] = []
  const plain = (name: string): TableColumnDefinition => ({ name, type: 'string', format: '', description: '', priority: 0 })
  if (o.withNamespace) columns.push(plain('Namespace'))
  columns.push(...table.columnDefinitions)
  for (const l of o.columnLabels ?? []) columns.push(plain(l.split('/').pop()!.toUpperCase()))
  if (o.showLabels) columns.push(plain('Labels'))

  const nameColumn = o.withKind ? table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string') : -1
  const rows = table.rows.map((row) => {
    const cells = [...row.cells]
    if (nameColumn >= 0) cells[nameColumn] = `${o.withKind!.toLowerCase()}/${cellText(cells[nameColumn])}`
    const meta = metaOf(row.object)
    const out: CellValue[] = []
    if (o.withNamespace) out.push(meta?.namespace ?? '')
    out.push(...cells)
    while (out.length < (o.withNamespace ? 1 : 0) + table.columnDefinitions.length) out.push(null)
    for (const key of o.columnLabels ?? []) out.push(meta?.labels?.[key] ?? '')
    if (o.showLabels) out.push(formatLabels(meta?.labels))
    return out
  })
  return { columns, rows }
}

/**
 * The text kubectl prints for a Table: upper-case headers, tab-aligned columns, wide
 * columns only with `wide`. An empty table prints nothing (kubectl then says "No resources
 * found" on stderr: see noResourcesFound).
 */
export function formatTable(table: Table, options: FormatTableOptions = {}): string {
  const { columns, rows } = decorate(table, options)
  const visible = columns.map((c) => options.wide === true || c.priority === 0)
  let text = ''
  if (!options.noHeaders) {
    if (rows.length === 0) return ''
    text += columns.filter((_, i) => visible[i]).map((c) => c.name.toUpperCase()).join('\t') + '\n'
  }
  for (const cells of rows) {
    const parts: string[] = []
    cells.forEach((cell, i) => {
      if (i >= columns.length || !visible[i]) return
      parts.push(cellText(cell))
    })
    text += parts.join('\t') + '\n'
  }
  return tabwrite(text)
}

/**
 * What kubectl get writes to stderr when nothing matched: "No resources found in NS namespace."
 * for namespaced kinds in one namespace, "No resources found" otherwise (-A or cluster-scoped).
 */
export function noResourcesFound({ namespace, allNamespaces = false, namespaced = true }: { namespace?: string; allNamespaces?: boolean; namespaced?: boolean }): string {
  if (!allNamespaces && namespaced && namespace !== undefined) return `No resources found in ${namespace} namespace.\n`
  return 'No resources found\n'
}
