/** kubectl's JSONPath templates: parse once, execute over JSON data. */
export { parseJsonPath, JsonPathParseError, unquoteExtend } from './parse.js'
export { executeJsonPath, JsonPathExecError } from './evaluate.js'
export { relaxedJsonPathExpression } from './relaxed.js'
export type { ListNode, Node } from './nodes.js'
