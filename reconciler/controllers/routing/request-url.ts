/** The request `capstan route` is asked about: scheme, host and path from a URL. */

/** A request to route. */
export interface RouteRequest {
  scheme: 'http' | 'https'
  /** Lower-case host name, without port. */
  host: string
  /** The path, without query or fragment (`/` at least). */
  path: string
  /** The port the request goes to (80 or 443 when the URL names none). */
  port: number
}

/** Parses `https://foo.bar.com/api/v1` (a URL without a scheme is taken as http). Returns an error message when it is not a URL. */
export function parseRequestUrl(text: string): RouteRequest | { error: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return { error: `invalid URL "${text}"` }
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') return { error: `unsupported scheme "${scheme}" in "${text}": an Ingress serves http and https` }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (!host) return { error: `no host in "${text}"` }
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80
  return { scheme, host, path: url.pathname || '/', port }
}
