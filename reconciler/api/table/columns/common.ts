/** Column pieces shared by every kind: NAME, AGE, and the wide CONTAINERS/IMAGES pair. */
import { translateTimestampSince } from '../duration.js'
import { arr } from '../get-path.js'
import type { Column, KubeObject } from '../types.js'

/** ObjectMeta's swagger doc for name, as the server sends it in column definitions. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'

/** ObjectMeta's swagger doc for creationTimestamp. */
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

/** The object's name. */
export const objectName = (obj: KubeObject): string => obj.metadata?.name ?? ''

/** The NAME column (format "name", as kubectl needs it for --show-kind). */
export const nameColumn: Column = {
  name: 'Name', priority: 0, type: 'string', format: 'name', description: NAME_DESCRIPTION,
  cell: (obj) => objectName(obj),
}

/** The AGE column: HumanDuration since creationTimestamp, on ctx.now. */
export const ageColumn: Column = {
  name: 'Age', priority: 0, type: 'string', description: AGE_DESCRIPTION,
  cell: (obj, ctx) => translateTimestampSince(obj.metadata?.creationTimestamp, ctx.now),
}

/** layoutContainerCells: container names and images, each joined by ",". */
export function layoutContainerCells(containers: unknown[]): { names: string; images: string } {
  const names: string[] = []
  const images: string[] = []
  for (const c of containers) {
    const container = c as { name?: string; image?: string }
    names.push(container.name ?? '')
    images.push(container.image ?? '')
  }
  return { names: names.join(','), images: images.join(',') }
}

/** Wide CONTAINERS and IMAGES columns read from a pod template at `templatePath`. */
export function containerColumns(templatePath: string): Column[] {
  const containers = (obj: KubeObject): unknown[] => arr(obj, `${templatePath}.spec.containers`)
  return [
    { name: 'Containers', priority: 1, type: 'string', description: 'Names of each container in the template.',
      cell: (obj) => layoutContainerCells(containers(obj)).names },
    { name: 'Images', priority: 1, type: 'string', description: 'Images referenced by each container in the template.',
      cell: (obj) => layoutContainerCells(containers(obj)).images },
  ]
}

/**
 * Go's fmt.Sprint of a number cell: integers print plainly. The server's cells for
 * integer columns are int64, so a missing count is 0.
 */
export const int = (v: unknown): number => (typeof v === 'number' ? Math.trunc(v) : 0)
