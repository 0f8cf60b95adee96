/** Read the Kubernetes objects in one manifest file's text. */
import type { ManifestError } from './errors.js'
import { parseJsonManifest } from './parse-json.js'
import { parseYamlManifests } from './parse-yaml.js'
import type { ManifestObject } from './types.js'

/** True when the text should be read as JSON: a `.json` file, or (no YAML extension) text that starts with `{`. */
export function isJsonInput(text: string, file: string): boolean {
  if (/\.json$/.test(file)) return true
  if (/\.ya?ml$/.test(file)) return false
  return text.trimStart().startsWith('{')
}

/**
 * Parse a manifest file: every document's objects (Lists expanded) with file, document and line,
 * and every problem as data. Objects can be located field by field with `fieldLine`.
 */
export function parseManifests(text: string, file: string): { objects: ManifestObject[]; errors: ManifestError[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  return isJsonInput(body, file) ? parseJsonManifest(body, file) : parseYamlManifests(body, file)
}
