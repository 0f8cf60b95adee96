/** Printing of kubectl's output formats: tables, yaml, json, name, jsonpath, custom-columns. */
export * from '../../api/table/types.js'
export { humanDuration, shortHumanDuration, translateTimestampSince } from '../../api/table/duration.js'
export { columnsFor, defaultColumns, groupOf } from '../../api/table/columns.js'
export { buildTable, type BuildTableOptions, type IncludeObject } from '../../api/table/build-table.js'
export { formatTable, noResourcesFound, type FormatTableOptions } from './format-table.js'
export { formatLabels, formatLabelSelector } from '../../api/table/labels.js'
export { tabwrite } from './tabwriter.js'
export { toKubectlJson, toGoCompactJson } from './json.js'
export { toKubectlYaml } from './yaml.js'
export { objectNameLine } from './name.js'
export { parseCustomColumns, formatCustomColumns, CustomColumnsError } from './custom-columns.js'
export { parseJsonPath, executeJsonPath, JsonPathParseError, JsonPathExecError } from './jsonpath/index.js'
export {
  printObjects, parseOutputFormat, asList, unknownFormatMessage, ALLOWED_FORMATS, OutputFormatError,
  type OutputFormat, type PrintOptions,
} from './output.js'
