/** FindResults for callers that need the raw result values (custom-columns). */
import { executeJsonPathResults } from './evaluate.js'
import type { ListNode } from './nodes.js'

/** The result values of each action of a template, missing keys allowed. */
export function executeFindResults(root: ListNode, data: unknown): unknown[][] {
  return executeJsonPathResults(root, data, { allowMissingKeys: true })
}
