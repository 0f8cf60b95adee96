/** What the create commands share: NAME, namespace, metadata, `--save-config`. */
import { CreateError } from './errors.js'
import { goJson } from './go-text.js'

/** The annotation `--save-config` writes (what `kubectl apply` compares against later). */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration'

/** Options every create builder takes. */
export interface CreateCommonOptions {
  /** The object's name (NAME). */
  name: string
  /** Set only when `-n` was given (kubectl leaves metadata.namespace out otherwise). */
  namespace?: string
  /** `--append-hash`: add a hash of the content to the name. */
  appendHash?: boolean
  /** `--save-config`: record the object in the last-applied-configuration annotation. */
  saveConfig?: boolean
}

/** kubectl's check of the positional arguments: exactly one NAME. Returns it. */
export function nameFromArgs(args: readonly string[]): string {
  if (args.length !== 1) throw new CreateError('NameRequired', `exactly one NAME is required, got ${args.length}`)
  return args[0]
}

/** Fail when NAME is empty (`kubectl create configmap ""`). */
export function requireName(name: string): void {
  if (!name) throw new CreateError('NameRequired', 'name must be specified')
}

/** `metadata` in kubectl's field order: name, namespace (when given), creationTimestamp null. */
export function metadataFor(name: string, namespace: string | undefined): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name }
  if (namespace) metadata.namespace = namespace
  metadata.creationTimestamp = null
  return metadata
}

/** A map with its keys in Go's order (sorted by bytes), as kubectl prints maps. */
export function sortedMap<T>(m: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((k) => [k, m.get(k) as T]))
}

/** Add the last-applied-configuration annotation, as `--save-config` does: the object as compact JSON plus a newline. */
export function saveConfig(object: Record<string, unknown>): void {
  const metadata = object.metadata as Record<string, unknown>
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) }
  delete annotations[LAST_APPLIED_ANNOTATION]
  if (Object.keys(annotations).length) metadata.annotations = annotations
  else delete metadata.annotations
  const text = goJson(object) + '\n'
  metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: text }
}
