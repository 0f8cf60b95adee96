/**
 * How an Ingress rule matches a request, as the Ingress documentation defines it.
 *
 * Hosts: a rule without a host matches every request; `foo.bar.com` matches that host only; a
 * wildcard `*.foo.com` matches exactly one more label (`bar.foo.com`, not `baz.bar.foo.com`, not
 * `foo.com`). Host names compare case-insensitively; the request's port is not part of its host.
 *
 * Paths: `Exact` matches the path string exactly, case-sensitively (`/foo` does not match `/foo/`).
 * `Prefix` matches element by element on `/`: every element of the rule's path must equal the
 * request's element at the same place, and a trailing slash on either side is ignored (`/foo`
 * matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`; `/aaa/bb` does not match `/aaa/bbb`).
 * `ImplementationSpecific` is capstan's to define: it matches as `Prefix`.
 */

/** How well a rule's host matches a request's host: exact beats wildcard beats no host. */
export type HostMatch = 'exact' | 'wildcard' | 'any'

/** The rank of a host match (lower is more specific). */
export const HOST_RANK: Record<HostMatch, number> = { exact: 0, wildcard: 1, any: 2 }

/** How a rule host (`''` for none) matches `host`, or undefined when it does not. */
export function matchHost(ruleHost: string | undefined, host: string): HostMatch | undefined {
  const rule = (ruleHost ?? '').toLowerCase()
  const h = host.toLowerCase()
  if (!rule) return 'any'
  if (rule.startsWith('*.')) {
    const suffix = rule.slice(1) // `.foo.com`
    if (!h.endsWith(suffix)) return undefined
    const label = h.slice(0, h.length - suffix.length)
    return label && !label.includes('.') ? 'wildcard' : undefined
  }
  return rule === h ? 'exact' : undefined
}

/** The path's elements on `/`, empty ones dropped (`/foo/bar/` → [foo, bar], `/` → []). */
export function pathElements(path: string): string[] {
  return path.split('/').filter((e) => e !== '')
}

/** Whether a rule path of `pathType` matches the request path. */
export function matchPath(pathType: string | undefined, rulePath: string | undefined, requestPath: string): boolean {
  const path = requestPath || '/'
  const rule = rulePath || '/'
  if (pathType === 'Exact') return rule === path
  const want = pathElements(rule)
  const have = pathElements(path)
  if (want.length > have.length) return false
  return want.every((e, i) => have[i] === e)
}

/**
 * The precedence of a matching path: longer paths first (the length of the rule's path without its
 * trailing slash), and on equal length `Exact` before `Prefix`. Returns a number to sort descending.
 * `/aaa/bbb` Prefix (8) beats `/aaa` Prefix (4); `/aaa` Exact beats `/aaa` Prefix and `/aaa/` Prefix.
 */
export function pathPrecedence(pathType: string | undefined, rulePath: string | undefined): number {
  const rule = rulePath || '/'
  const length = pathType === 'Exact' ? rule.length : rule.replace(/\/+$/, '').length
  return length * 2 + (pathType === 'Exact' ? 1 : 0)
}
