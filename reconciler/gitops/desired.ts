/** From rendered manifests to desired objects: kind served, named, namespaced, marked as managed, each identity once. */
import { apiVersionOf, resolveResource } from '../api/kinds.js'
import { clone, type KObject } from '../api/object.js'
import type { ManifestObject } from '../source/render/index.js'
import { idKey, idOf, type ObjectId } from './identity.js'
import { markManaged } from './labels.js'

/** One object git wants, with where it was written. */
export interface DesiredObject {
  id: ObjectId
  /** The apply configuration: the manifest, its namespace filled in, marked as managed (a copy: the render cache is not touched). */
  object: KObject
  /** Where it came from (`object` there is the render's, shared with the blob cache). */
  source: ManifestObject
}

/** A problem with one manifest, placed at its file, line and document. */
export interface SourceProblem {
  file: string
  line?: number
  doc?: number
  field?: string
  text: string
}

/** Kinds git may not hold: the API server writes them itself. */
const NOT_FROM_GIT = new Set(['Event', 'SyncRecord'])

/**
 * Checks what can be checked before the API sees anything — the kind is served (and may come from
 * git), the object has a name, no identity appears twice — and makes the apply configurations.
 * Namespaced objects without a namespace go to `namespace`.
 */
export function desiredObjects(objects: readonly ManifestObject[], namespace = 'default'): { desired: DesiredObject[]; problems: SourceProblem[] } {
  const problems: SourceProblem[] = []
  const desired: DesiredObject[] = []
  const seen = new Map<string, ManifestObject>()
  for (const m of objects) {
    const o = m.object as Partial<KObject>
    const at = { file: m.file, line: m.line, doc: m.doc }
    const where = `${m.file}:${m.line}: document ${m.doc}`
    const k = typeof o.kind === 'string' ? resolveResource(o.kind) : undefined
    if (!k || k.kind !== o.kind || NOT_FROM_GIT.has(k.kind)) {
      problems.push({ ...at, field: 'kind', text: `${where}: kind: no matches for kind "${o.kind}" in version "${o.apiVersion}"` })
      continue
    }
    const name = o.metadata?.name
    if (typeof name !== 'string' || !name) {
      problems.push({ ...at, field: 'metadata.name', text: `${where}: ${k.kind}: metadata.name: Required value: a name is required (generateName cannot be synced: each sync would make a new object)` })
      continue
    }
    const object = clone(o) as KObject
    object.metadata ??= {}
    if (k.namespaced) object.metadata.namespace = object.metadata.namespace || namespace
    else delete object.metadata.namespace
    markManaged(object, m.file)
    const id = idOf(k, object)
    const key = idKey(id)
    const first = seen.get(key)
    if (first) {
      problems.push({ ...at, text: `${where}: ${k.kind} "${name}" appears twice: first at ${first.file}:${first.line} (document ${first.doc})` })
      continue
    }
    seen.set(key, m)
    // The id carries the version the object is served at; the manifest may use an older one (converted on apply).
    desired.push({ id: { ...id, version: apiVersionOf(k).split('/').pop()! }, object, source: m })
  }
  return { desired, problems }
}
