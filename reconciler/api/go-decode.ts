/**
 * What decoding a request body into Kubernetes' Go types does to it, done on our JSON: a null field
 * is absent (the field keeps its zero value), and an empty map or list in an optional field is
 * absent (Go's `omitempty` leaves nil and empty alike out of the stored object). So `kubectl rollout
 * undo`'s `creationTimestamp: null`, or a merge patch that removes a template's last annotation,
 * leaves the pod template as it was (same hash, same ReplicaSet), and a write that only adds `{}`
 * changes nothing. Required fields keep an empty value (validation then speaks about it); an empty
 * struct (`resources: {}`, `emptyDir: {}`) is a value in Go and is kept; free-form and opaque
 * fields are left as they are; `metadata.managedFields: []` keeps its meaning (reset).
 */
import type { KObject } from './object.js'
import type { TypeNode } from './schema/type-node.js'

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Normalizes `obj` (a copy the caller owns) in place, as its kind's Go type would decode it. */
export function normalizeAsGoDecodes(obj: KObject, root: TypeNode): void {
  struct(obj as unknown as Record<string, unknown>, root, true)
}

function struct(o: Record<string, unknown>, node: TypeNode, top: boolean): void {
  if (node.kind !== 'struct') return
  for (const k of Object.keys(o)) {
    const v = o[k]
    const child = node.field(k)
    if (!child) {
      // An unknown field is named by field validation whatever its value; validation reads a null
      // as absent, so a null one is held as {} until then (Strict refuses it, Warn and Ignore drop it).
      if (v === null && node.fieldNames().length) o[k] = {}
      continue
    }
    if (v === null) {
      delete o[k]
      continue
    }
    if (typeof v !== 'object') continue
    if (top && k === 'metadata' && isObject(v)) {
      const meta = child
      // managedFields: [] asks the field manager to reset; everything else in metadata as usual.
      const mf = v.managedFields
      struct(v, meta, false)
      if (Array.isArray(mf) && mf.length === 0) v.managedFields = mf
      continue
    }
    if (Array.isArray(v)) {
      if (v.length === 0 && !node.required?.(k)) delete o[k]
      else if (child.kind === 'list') list(v, child.items())
      continue
    }
    const fields = v as Record<string, unknown>
    if (child.kind === 'map') {
      if (isEmpty(fields) && !node.required?.(k)) delete o[k]
      else map(fields, child.values())
    } else if (child.kind === 'struct') struct(fields, child, false)
  }
}

function list(items: unknown[], node: TypeNode): void {
  for (const it of items) if (isObject(it)) visit(it, node)
}

function map(m: Record<string, unknown>, node: TypeNode): void {
  for (const k of Object.keys(m)) {
    const v = m[k]
    // A null value decodes to its type's zero: "" for the string maps (labels, annotations, data).
    if (v === null && node.kind === 'scalar') m[k] = ''
    else if (isObject(v)) visit(v, node)
    else if (Array.isArray(v) && node.kind === 'list') list(v, node.items())
  }
}

function visit(o: Record<string, unknown>, node: TypeNode): void {
  if (node.kind === 'struct') struct(o, node, false)
  else if (node.kind === 'map') map(o, node.values())
}

function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false
  return true
}
