/** Problems found while reading manifests: data, collected per file, never thrown. */

/** What went wrong with one input. A closed set: callers switch on it. */
export type ManifestErrorCode =
  /** The YAML text does not parse (line and column given). */
  | 'YamlSyntax'
  /** The JSON text does not parse (line and column given). */
  | 'JsonSyntax'
  /** A mapping repeats a key (kubectl's strict decoding refuses it too). */
  | 'DuplicateKey'
  /** Aliases would expand past the limit (a "billion laughs" document); refused before expanding. */
  | 'AliasBomb'
  /** One document is over the 1.5 MiB limit of a stored object; refused before parsing. */
  | 'TooLarge'
  /** A document (or a List item) is a scalar or a sequence, not a mapping; or a List's items is not a sequence. */
  | 'NotAnObject'
  /** The object has no `kind` (or it is not a non-empty string). */
  | 'MissingKind'
  /** The object has no `apiVersion` (or it is not a non-empty string). */
  | 'MissingApiVersion'
  /** A path given on the command line does not exist. */
  | 'PathNotFound'
  /** A file or directory exists but cannot be read. */
  | 'ReadFailed'

/** One problem, placed as precisely as we can: file, document, line and column, field path. */
export interface ManifestError {
  file: string
  /** 0-based index of the document among the file's documents (empty ones included). */
  doc?: number
  /** 1-based line. */
  line?: number
  /** 1-based column. */
  column?: number
  /** Field path inside the document, as the API writes it: `items[2].kind`, `spec.replicas`. */
  field?: string
  message: string
  code: ManifestErrorCode
}

/** `file:line:column: message` (with the document and field when known), for people to read. */
export function formatManifestError(e: ManifestError): string {
  let where = e.file
  if (e.line !== undefined) where += `:${e.line}`
  if (e.line !== undefined && e.column !== undefined) where += `:${e.column}`
  const parts = [where]
  if (e.doc !== undefined) parts.push(`document ${e.doc}`)
  if (e.field) parts.push(e.field)
  return `${parts.join(': ')}: ${e.message}`
}
