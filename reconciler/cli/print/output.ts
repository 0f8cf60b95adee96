/**
 * The one entry point of `capstan -o …`: parse the output format and print objects exactly
 * as kubectl get prints them.
 */
import { buildTable } from '../../api/table/build-table.js'
import { formatCustomColumns, parseCustomColumns } from './custom-columns.js'
import { formatTable, type FormatTableOptions } from './format-table.js'
import { executeJsonPath, parseJsonPath, JsonPathParseError } from './jsonpath/index.js'
import { toKubectlJson } from './json.js'
import { objectNameLine } from './name.js'
import { toKubectlYaml } from './yaml.js'
import type { KubeObject } from '../../api/table/types.js'

/** A parsed -o value. */
export type OutputFormat =
  | { kind: 'table' }
  | { kind: 'wide' }
  | { kind: 'yaml' }
  | { kind: 'json' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'custom-columns'; spec: string }

/** The -o values kubectl get lists in its error, in its order. */
export const ALLOWED_FORMATS = [
  'custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath',
  'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'wide', 'yaml',
] as const

/** An -o value or template that kubectl would refuse; `message` is kubectl's error line (without "error: "). */
export class OutputFormatError extends Error {
  override name = 'OutputFormatError'
}

/** kubectl's error for an unknown -o value. */
export function unknownFormatMessage(format: string): string {
  return `unable to match a printer suitable for the output format "${format}", allowed formats are: ${ALLOWED_FORMATS.join(',')}`
}

/** Parses an -o value ('' or undefined is the default table); throws OutputFormatError. */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  const v = value ?? ''
  if (v === '' || v === 'table') return { kind: 'table' }
  if (v === 'wide' || v === 'yaml' || v === 'json' || v === 'name') return { kind: v }
  const eq = v.indexOf('=')
  const key = eq < 0 ? v : v.slice(0, eq)
  const arg = eq < 0 ? '' : v.slice(eq + 1)
  if (key === 'jsonpath') {
    if (eq < 0 || arg === '') throw new OutputFormatError('template format specified but no template given')
    try {
      parseJsonPath(arg)
    } catch (err) {
      if (err instanceof JsonPathParseError) throw new OutputFormatError(`error parsing jsonpath ${arg}, ${err.message}`)
      throw err
    }
    return { kind: 'jsonpath', template: arg }
  }
  if (key === 'custom-columns') {
    parseCustomColumnsOrThrow(arg)
    return { kind: 'custom-columns', spec: arg }
  }
  throw new OutputFormatError(unknownFormatMessage(v))
}

function parseCustomColumnsOrThrow(spec: string): ReturnType<typeof parseCustomColumns> {
  try {
    return parseCustomColumns(spec)
  } catch (err) {
    throw new OutputFormatError((err as Error).message)
  }
}

/** Options of printObjects. */
export type PrintOptions = Omit<FormatTableOptions, 'wide'> & {
  /** The -o value ('table', 'wide', 'yaml', 'json', 'name', 'jsonpath=…', 'custom-columns=…') or a parsed one. */
  output?: string | OutputFormat
  /** capstan's clock, for AGE columns. */
  now: Date
  /**
   * Whether a single object is printed as itself (kubectl get KIND NAME) rather than wrapped in
   * a List (kubectl get KIND). Default: true when exactly one object is given.
   */
  singleItem?: boolean
  /** resourceVersion of the List wrapper (kubectl leaves it ""). */
  listResourceVersion?: string
  /** -o name: an operation appended to each line ("created", "configured"). */
  operation?: string
  /** jsonpath: --allow-missing-template-keys (default true). */
  allowMissingTemplateKeys?: boolean
}

/** The v1 List kubectl wraps several objects in for yaml, json, jsonpath and name. */
export function asList(objects: KubeObject[], resourceVersion = ''): KubeObject {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion } }
}

/** Objects grouped by kind, in first-seen order (kubectl prints one table per kind). */
function byKind(objects: KubeObject[]): KubeObject[][] {
  const groups = new Map<string, KubeObject[]>()
  for (const o of objects) {
    const k = `${o.apiVersion ?? ''}/${o.kind ?? ''}`
    if (!groups.has(k)) groups.set(k, [])
    groups.get(k)!.push(o)
  }
  return [...groups.values()]
}

/**
 * Prints objects as `kubectl get -o …` writes them to stdout. An empty table prints ''
 * (the caller writes noResourcesFound(...) to stderr). Throws OutputFormatError for a
 * bad -o value and Error (JsonPathExecError) when a jsonpath template fails on the data.
 */
export function printObjects(objects: KubeObject[], options: PrintOptions): string {
  const format = typeof options.output === 'object' ? options.output : parseOutputFormat(options.output)
  const single = options.singleItem ?? objects.length === 1
  const wrapped = (): KubeObject => (single && objects.length === 1 ? objects[0] : asList(objects, options.listResourceVersion))
  switch (format.kind) {
    case 'table':
    case 'wide': {
      const wide = format.kind === 'wide'
      // Several kinds: one table per kind, separated by a blank line, names prefixed with the kind.
      const groups = byKind(objects)
      const multi = groups.length > 1
      return groups.map((group) => {
        const table = buildTable(group, { now: options.now })
        const withKind = options.withKind ?? (multi ? kindPrefix(group[0]) : undefined)
        return formatTable(table, { ...options, wide, withKind })
      }).join('\n')
    }
    case 'yaml':
      return toKubectlYaml(wrapped())
    case 'json':
      return toKubectlJson(wrapped())
    case 'name':
      return objects.map((o) => objectNameLine(o, options.operation)).join('')
    case 'jsonpath':
      return executeJsonPath(parseJsonPath(format.template), JSON.parse(JSON.stringify(wrapped())), {
        allowMissingKeys: options.allowMissingTemplateKeys ?? true,
      })
    case 'custom-columns':
      return formatCustomColumns(parseCustomColumnsOrThrow(format.spec), objects, { noHeaders: options.noHeaders })
  }
}

/** "deployment.apps" for an apps/v1 Deployment, "pod" for a v1 Pod (the --show-kind prefix). */
function kindPrefix(obj: KubeObject): string {
  const slash = (obj.apiVersion ?? '').indexOf('/')
  const group = slash < 0 ? '' : (obj.apiVersion ?? '').slice(0, slash)
  return group ? `${(obj.kind ?? '').toLowerCase()}.${group}` : (obj.kind ?? '').toLowerCase()
}
