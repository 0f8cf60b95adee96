/**
 * Merges an applied configuration into a live object by type (SMD's TypedValue.Merge with
 * ruleKeepRHS): structs and maps key by key unless atomic, map lists by key and sets by value,
 * atomic lists and scalars replaced whole; untyped objects key by key, untyped lists whole.
 * A null left in an object by the merge is dropped, as decoding into Kubernetes' Go types does.
 */
import type { ListNode, TypeNode } from '../../../../reconciler/api/schema/type-node.js'
import type { Json, PathElement } from './path-element.js'
import { childType, indexItems, isObject, peId, resolve, type JsonObject } from './typed-value.js'

/** `config` merged into `live`; either may be undefined (absent). */
export function mergeTyped(live: Json | undefined, config: Json | undefined, node: TypeNode | undefined): Json | undefined {
  return mergeValue(live, config, resolve(node))
}

function mergeValue(l: Json | undefined, r: Json | undefined, node: TypeNode): Json | undefined {
  if (r === undefined) return l === undefined ? undefined : dropNulls(l)
  switch (node.kind) {
    case 'scalar':
      return dropNulls(r)
    case 'untyped':
      if (isObject(l) && isObject(r) && (Object.keys(l).length > 0 || Object.keys(r).length > 0)) return mergeObject(l, r, node)
      return dropNulls(r)
    case 'struct':
    case 'map': {
      if (node.atomic) return dropNulls(r)
      const lo = isObject(l) ? l : undefined
      const ro = isObject(r) ? r : undefined
      if (r !== null && !ro) return dropNulls(r)
      // Both empty or null: a leaf, keeping the configuration's value (SMD's emptyPromoteToLeaf).
      if ((!lo || Object.keys(lo).length === 0) && (!ro || Object.keys(ro).length === 0)) return dropNulls(r)
      return mergeObject(lo ?? {}, ro ?? {}, node)
    }
    case 'list': {
      if (node.listType === 'atomic') return dropNulls(r)
      const la = Array.isArray(l) ? l : undefined
      const ra = Array.isArray(r) ? r : undefined
      if (r !== null && !ra) return dropNulls(r)
      if ((!la || la.length === 0) && (!ra || ra.length === 0)) return dropNulls(r)
      return mergeList(la ?? [], ra ?? [], node)
    }
  }
}

function mergeObject(l: JsonObject, r: JsonObject, node: TypeNode): Json | undefined {
  const out: JsonObject = {}
  for (const k of Object.keys(l)) {
    const v = mergeValue(l[k], Object.hasOwn(r, k) ? r[k] : undefined, childType(node, k))
    if (v !== undefined && v !== null) out[k] = v
  }
  for (const k of Object.keys(r)) {
    if (Object.hasOwn(l, k)) continue
    const v = mergeValue(undefined, r[k], childType(node, k))
    if (v !== undefined && v !== null) out[k] = v
  }
  return Object.keys(out).length ? out : null
}

/**
 * SMD's list order: items shared by both lists follow the configuration's order; live-only items
 * keep their place relative to them; configuration-only items come where the configuration puts
 * them. Live items that repeat a key are dropped after the first.
 */
function mergeList(l: Json[], r: Json[], node: ListNode): Json | undefined {
  const rhs = indexItems(node, r)
  const lhs = indexItems(node, l)
  const itemType = node.items()
  const shared: PathElement[] = rhs.order.filter((pe) => lhs.byKey.has(peId(pe)))
  let sharedAt = 0
  let nextShared: PathElement | undefined = shared[sharedAt++]
  const advanceShared = (): void => {
    nextShared = shared[sharedAt++]
  }
  const merged = new Set<string>()
  const out: Json[] = []
  const emit = (pe: PathElement): void => {
    const id = peId(pe)
    merged.add(id)
    const v = mergeValue(lhs.byKey.get(id)?.item, rhs.byKey.get(id)?.item, itemType)
    if (v !== undefined && v !== null) out.push(v)
  }
  let li = 0
  let ri = 0
  while (li < lhs.order.length || ri < rhs.order.length) {
    if (li < lhs.order.length && ri < rhs.order.length) {
      const pe = lhs.order[li]
      if (peId(pe) === peId(rhs.order[ri])) {
        emit(pe)
        li++
        ri++
        advanceShared()
        continue
      }
      if (rhs.byKey.has(peId(pe)) && nextShared && peId(nextShared) !== peId(pe)) {
        // A shared item, but not the one whose turn it is.
        li++
        continue
      }
    }
    if (li < lhs.order.length) {
      const pe = lhs.order[li]
      const id = peId(pe)
      if (!rhs.byKey.has(id)) {
        emit(pe)
        li++
        continue
      }
      if (merged.has(id)) {
        li++
        continue
      }
    }
    if (ri < rhs.order.length) {
      const pe = rhs.order[ri]
      emit(pe)
      ri++
      if (nextShared && peId(nextShared) === peId(pe)) advanceShared()
    }
  }
  return out.length ? out : null
}

/** A copy of `v` without null values inside objects. */
export function dropNulls(v: Json): Json {
  if (Array.isArray(v)) return v.map(dropNulls)
  if (isObject(v)) {
    const out: JsonObject = {}
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x)
    return out
  }
  return v
}
