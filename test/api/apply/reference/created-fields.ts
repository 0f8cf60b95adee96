/**
 * The fieldsV1 an Update manager owns after creating an object: every field the object sets, as
 * trackUpdate's general path (compare with nothing, take what was added, drop status and the
 * stripped metadata) computes it, in one walk that writes fieldsV1 directly. Creates are the hot
 * path of batch writes (a pod's managed fields in ~1/5 of the general path's time); a test checks
 * both paths give the same bytes.
 */
import type { TypeNode } from '../../../../reconciler/api/schema/type-node.js'
import type { FieldsV1 } from './field-set.js'
import { comparePathElements, serializePathElement, type Json, type PathElement } from './path-element.js'
import { childType, indexItems, isObject, resolve } from './typed-value.js'

interface Built {
  /** The node itself is in the set (a leaf, a list item, a map entry). */
  member: boolean
  kids: Array<{ pe: PathElement; built: Built }>
}

const LEAF: Built = { member: true, kids: [] }

function emptyish(v: Json): boolean {
  if (v === null) return true
  if (Array.isArray(v)) return v.length === 0
  return isObject(v) && Object.keys(v).length === 0
}

/** What `compareTyped(undefined, v)` adds for `v` at a node of type `node` (see compare.ts's walk). */
function visit(v: Json, node: TypeNode, namedField: boolean): Built {
  switch (node.kind) {
    case 'scalar':
      return LEAF
    case 'untyped':
    case 'struct':
    case 'map': {
      const atomic = node.kind !== 'untyped' && node.atomic
      if (atomic || !isObject(v) || emptyish(v)) return LEAF
      const kids: Built['kids'] = []
      for (const k of Object.keys(v)) {
        if (v[k] === undefined) continue
        kids.push({ pe: { field: k }, built: visit(v[k], childType(node, k), node.kind === 'struct' && node.field(k) !== undefined) })
      }
      return { member: !(namedField && node.kind === 'struct'), kids }
    }
    case 'list': {
      if (node.listType === 'atomic' || !Array.isArray(v) || emptyish(v)) return LEAF
      const items = indexItems(node, v)
      const itemType = node.items()
      const kids = items.order.map((pe) => ({ pe, built: visit(items.byKey.get(JSON.stringify(pe))!.item, itemType, false) }))
      return { member: true, kids }
    }
  }
}

/** Members kube-apiserver never records (stripmeta), by level: root and metadata. */
const STRIPPED_ROOT = new Set(['apiVersion', 'kind', 'metadata'])
const STRIPPED_META = new Set(['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'])

function emit(b: Built, stripped: Set<string> | undefined, includeSelf: boolean, atMetadata: boolean): FieldsV1 | undefined {
  const entries: Array<[PathElement, FieldsV1]> = []
  for (const { pe, built } of b.kids) {
    const isStripped = 'field' in pe && stripped?.has(pe.field)
    const member = built.member && !isStripped
    const nested = built.kids.length
      ? emit(built, atMetadata && 'field' in pe && pe.field === 'metadata' ? STRIPPED_META : undefined, member, false)
      : undefined
    if (nested) entries.push([pe, nested])
    else if (member) entries.push([pe, {}])
  }
  if (!entries.length) return undefined
  entries.sort((a, c) => comparePathElements(a[0], c[0]))
  const out: FieldsV1 = {}
  for (const [pe, f] of entries) out[serializePathElement(pe)] = f
  if (includeSelf) out['.'] = {}
  return out
}

/** The fieldsV1 of everything `obj` sets, without status and stripped metadata; undefined when nothing. */
export function createdFieldsV1(obj: Json, typeNode: TypeNode | undefined): FieldsV1 | undefined {
  if (!isObject(obj)) return undefined
  const { status: _status, ...rest } = obj
  if (isObject(rest.metadata)) {
    const { managedFields: _mf, ...meta } = rest.metadata
    rest.metadata = meta
  }
  const root = visit(rest, resolve(typeNode), false)
  return emit(root, STRIPPED_ROOT, false, true)
}
