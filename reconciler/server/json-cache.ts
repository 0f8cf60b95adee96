/**
 * JSON text of API objects, computed once per object version. Objects served from the watch cache
 * are never mutated (a new object replaces each version), so the text of one can be kept beside it
 * and shared by every GET, LIST and watch that sends it — as kube-apiserver's watch cache keeps
 * serialized objects for its watchers. A list is its items' texts joined, not one big stringify.
 */
import type { ObjectList } from '../api/api-server.js'

const texts = new WeakMap<object, string>()

/** `JSON.stringify(obj)`, remembered for as long as the object lives. */
export function objectJson(obj: object): string {
  let s = texts.get(obj)
  if (s === undefined) {
    s = JSON.stringify(obj)
    texts.set(obj, s)
  }
  return s
}

/** The JSON of a list: its own fields stringified, its items from `objectJson`. */
export function listJson(list: ObjectList): string {
  const head = JSON.stringify({ apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata })
  return `${head.slice(0, -1)},"items":[${list.items.map(objectJson).join(',')}]}`
}

/** One watch event line (without the newline). */
export function watchEventJson(type: string, object: unknown): string {
  const body = object !== null && typeof object === 'object' ? objectJson(object) : JSON.stringify(object)
  return `{"type":${JSON.stringify(type)},"object":${body}}`
}
