/** One Kubernetes object read from a manifest file, with where it came from. */
export interface ManifestObject {
  /** The object as plain JSON data (no shared references, no Dates). */
  object: Record<string, unknown>
  /** The file it came from, as given (or `STDIN`). */
  file: string
  /** 0-based index of its document among the file's documents (empty documents count). */
  doc: number
  /** 1-based line where the object starts (its first key; for a List item, the item). */
  line: number
  /** For an object that was an item of a `List`, its index in `items`. */
  item?: number
}
