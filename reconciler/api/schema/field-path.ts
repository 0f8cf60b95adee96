/** Turns ajv's JSON pointers into field paths written as Kubernetes writes them. */
import { untyped, type TypeNode } from './type-node.js'

/**
 * `/spec/template/spec/containers/0/image` → `spec.template.spec.containers[0].image`;
 * map keys use brackets (`metadata.labels[app]`), as k8s.io/apimachinery's field.Path does.
 * The TypeNode says which objects are maps; `value` says which segments index a list.
 */
export function fieldPath(pointer: string, root: TypeNode, value: unknown): { path: string; node: TypeNode; value: unknown } {
  let path = ''
  let node = root
  let current = value
  if (pointer === '') return { path, node, value }
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(current)) {
      path += `[${segment}]`
      node = node.kind === 'list' ? node.items() : untyped
    } else if (node.kind === 'map') {
      path += `[${segment}]`
      node = node.values()
    } else {
      path += path ? `.${segment}` : segment
      node = (node.kind === 'struct' && node.field(segment)) || untyped
    }
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined
  }
  return { path, node, value: current }
}

/** `parent` + `.child` (or just `child` at the root). */
export function childPath(parent: string, child: string): string {
  return parent ? `${parent}.${child}` : child
}
