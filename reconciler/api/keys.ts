/** Storage keys of objects: `/registry/[group/]plural/[namespace/]name`, as kube-apiserver lays out etcd. */
import type { KindInfo } from './kinds.js'

/** The prefix under which every object of a kind (in one namespace, when given) is stored; ends with `/`. */
export function kindPrefix(k: KindInfo, namespace?: string): string {
  const base = `/registry/${k.group ? k.group + '/' : ''}${k.plural}/`
  return k.namespaced && namespace ? `${base}${namespace}/` : base
}

/** The storage key of one object. */
export function objectStorageKey(k: KindInfo, namespace: string | undefined, name: string): string {
  return k.namespaced ? `${kindPrefix(k)}${namespace}/${name}` : `${kindPrefix(k)}${name}`
}
