/** Who an object is, for pairing desired with live: group, kind, namespace and name (the version is only carried). */
import { kindByName, type KindInfo } from '../api/kinds.js'

/** An object's identity, as sync records and plans name it (`namespace` is '' for cluster-scoped kinds). */
export interface ObjectId {
  group: string
  version: string
  kind: string
  namespace: string
  name: string
}

/** The pairing key: `group/Kind/namespace/name` (the version is not part of it: one object, many versions). */
export function idKey(id: Pick<ObjectId, 'group' | 'kind' | 'namespace' | 'name'>): string {
  return `${id.group}/${id.kind}/${id.namespace}/${id.name}`
}

/** The identity of an object of a served kind (its stored version). */
export function idOf(k: KindInfo, obj: { metadata?: { namespace?: string; name?: string } }): ObjectId {
  return { group: k.group, version: k.version, kind: k.kind, namespace: k.namespaced ? (obj.metadata?.namespace ?? '') : '', name: obj.metadata?.name ?? '' }
}

/** `deployment.apps/web`, as kubectl names an object in its output. */
export function displayName(id: Pick<ObjectId, 'group' | 'kind' | 'name'>): string {
  return `${id.kind.toLowerCase()}${id.group ? `.${id.group}` : ''}/${id.name}`
}

/** The kind an identity names. */
export function kindOfId(id: Pick<ObjectId, 'kind'>): KindInfo {
  const k = kindByName(id.kind)
  if (!k) throw new Error(`no kind ${id.kind} is served`)
  return k
}
