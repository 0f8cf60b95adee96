/** -o name: "kind.group/name", lower-case kind, no group for the core group. */
import { groupOf } from '../../api/table/columns.js'
import type { KubeObject } from '../../api/table/types.js'

/** The -o name line of an object, e.g. "deployment.apps/web" or "configmap/foo" (with " created" etc. for an operation). */
export function objectNameLine(obj: KubeObject, operation?: string): string {
  const kind = obj.kind ?? ''
  const name = obj.metadata?.name || '<unknown>'
  if (kind === '') throw new Error(`missing kind for resource with name ${name}`)
  const group = groupOf(obj.apiVersion)
  const id = group ? `${kind.toLowerCase()}.${group}/${name}` : `${kind.toLowerCase()}/${name}`
  return operation ? `${id} ${operation}\n` : `${id}\n`
}
