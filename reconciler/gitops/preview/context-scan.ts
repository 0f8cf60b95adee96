/**
 * Finding, among the files a preview did not see change, the few whose objects matter to it —
 * without parsing them all. A file is parsed only when its raw text could hold such an object: it
 * contains both a kind and a name of interest (a manifest names both literally, unless written with
 * escapes: any text with a backslash is parsed), an apiVersion that the API server converts (it
 * warns), or the word `Namespace` (Namespace manifests are few).
 */
import { apiVersionOf, KINDS } from '../../api/kinds.js'
import type { ManifestObject } from '../../source/render/index.js'
import { parseBlobText } from '../../source/git/index.js'

/** What to look for: kind word → names. */
export type Probes = Map<string, Set<string>>

/** Adds `name` under `kind` to `probes`. */
export function addProbe(probes: Probes, kind: string, name: string): void {
  let set = probes.get(kind)
  if (!set) probes.set(kind, (set = new Set()))
  set.add(name)
}

/** The apiVersions objects are stored at: any other one is converted, with a warning. */
const STORED = new Set(KINDS.map((k) => apiVersionOf(k)))
const API_VERSION = /apiVersion['"]?\s*:\s*['"]?([^\s'",}\]#]*)/g

/** Whether the raw text of a manifest file may hold an object of interest. */
export function mayMatter(text: string, probes: Probes): boolean {
  if (text.includes('\\') || text.includes('Namespace')) return true
  for (const m of text.matchAll(API_VERSION)) if (!STORED.has(m[1])) return true
  for (const [kind, names] of probes) {
    if (!text.includes(kind)) continue
    for (const name of names) if (text.includes(name)) return true
  }
  return false
}

/** A file parsed: its objects placed at the file, or its parse problems. */
export interface ParsedFile {
  objects: ManifestObject[]
  problems: number
}

/** Parses `text` as the manifests of `file`, as the render step does. */
export function parseFile(text: string, file: string): ParsedFile {
  const p = parseBlobText(text, file)
  return {
    objects: p.objects.map((o) => (o.item === undefined ? { object: o.object, file, doc: o.doc, line: o.line } : { object: o.object, file, doc: o.doc, line: o.line, item: o.item })),
    problems: p.errors.length,
  }
}
