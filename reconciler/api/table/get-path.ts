/** Small readers for untyped JSON objects. */

/** The value at a dotted path of plain property names, or undefined. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return cur
}

/** The string at a path, or '' (Go's zero value). */
export function str(obj: unknown, path: string): string {
  const v = getPath(obj, path)
  return typeof v === 'string' ? v : ''
}

/** The number at a path, or 0 (Go's zero value). */
export function num(obj: unknown, path: string): number {
  const v = getPath(obj, path)
  return typeof v === 'number' ? v : 0
}

/** The array at a path, or []. */
export function arr(obj: unknown, path: string): unknown[] {
  const v = getPath(obj, path)
  return Array.isArray(v) ? v : []
}

/** The object (map) at a path, or {}. */
export function map(obj: unknown, path: string): Record<string, unknown> {
  const v = getPath(obj, path)
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}
