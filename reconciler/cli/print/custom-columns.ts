/** -o custom-columns=HEADER:.field,… as kubectl prints it (kubectl/pkg/cmd/get/customcolumn.go). */
import { goSprint } from './go-format.js'
import { executeFindResults } from './jsonpath/find.js'
import { parseJsonPath, relaxedJsonPathExpression, type ListNode } from './jsonpath/index.js'
import { tabwrite } from './tabwriter.js'
import type { KubeObject } from '../../api/table/types.js'

/** One custom column: its header and its JSONPath template. */
export type CustomColumn = { header: string; fieldSpec: string; template: ListNode }

/** A custom-columns spec that kubectl refuses. */
export class CustomColumnsError extends Error {
  override name = 'CustomColumnsError'
}

/** Parses "NAME:.metadata.name,IMAGE:.spec.containers[*].image". */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new CustomColumnsError('custom-columns format specified but no custom columns given')
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':')
    if (colon < 0) {
      throw new CustomColumnsError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`)
    }
    const header = part.slice(0, colon)
    const fieldSpec = relaxedJsonPathExpression(part.slice(colon + 1))
    return { header, fieldSpec, template: parseJsonPath(fieldSpec) }
  })
}

/** The cell of one column: all results joined by ",", "<none>" when there is none. */
function cell(column: CustomColumn, obj: KubeObject): string {
  const results = executeFindResults(column.template, obj)
  if (results.length === 0 || results[0].length === 0) return '<none>'
  return results.flat().map((v) => goSprint(v).replace(/\x1b/g, '^[').replace(/\r/g, '\\r')).join(',')
}

/** The custom-columns table of the objects (headers even when there are none, unless noHeaders). */
export function formatCustomColumns(columns: CustomColumn[], objects: KubeObject[], { noHeaders = false } = {}): string {
  let text = ''
  if (!noHeaders) text += columns.map((c) => c.header).join('\t') + '\n'
  for (const obj of objects) text += columns.map((c) => cell(c, obj)).join('\t') + '\n'
  return tabwrite(text)
}
