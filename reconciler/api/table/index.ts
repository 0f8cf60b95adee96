/** Tables as kube-apiserver builds them (meta.k8s.io/v1 Table): the columns per kind and their cells. */
export * from './types.js'
export { humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js'
export { columnsFor, defaultColumns, groupOf } from './columns.js'
export { buildTable, type BuildTableOptions, type IncludeObject } from './build-table.js'
export { formatLabels, formatLabelSelector, labelSelectorString, byteCompare } from './labels.js'
