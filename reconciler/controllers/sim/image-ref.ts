/**
 * Container image references, parsed as the distribution reference grammar reads them
 * (github.com/distribution/reference): an optional registry host (with port), a path of lowercase
 * components, an optional `:tag` and an optional `@algorithm:hex` digest. Normalised as containerd
 * normalises them: `nginx` → `docker.io/library/nginx:latest`.
 */

/** A parsed image reference. */
export interface ImageRef {
  /** The registry host as written, or `docker.io` when the reference names none. */
  domain: string
  /** The path within the registry (`library/nginx` for `nginx`). */
  path: string
  /** The tag, if written. */
  tag?: string
  /** The digest (`sha256:…`), if written. */
  digest?: string
}

/** A parse failure: the reference and why (as data, not thrown). */
export interface ImageRefError {
  ref: string
  message: string
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:.]+\](?::[0-9]+)?$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/

/** The default registry and the namespace of single-component Docker Hub names. */
export const DEFAULT_DOMAIN = 'docker.io'
const OFFICIAL_PREFIX = 'library/'

/** Parsed references by text (the kubelet parses each pod's images several times per sync); frozen, shared. */
const parsedRefs = new Map<string, Readonly<ImageRef | ImageRefError>>()
const PARSED_REFS_MAX = 1024

/**
 * Parses an image reference. The first path component is a registry host when it contains `.` or
 * `:` or is `localhost` (`localhost:5000/app:v1`, `gcr.io/x/y`); otherwise the image is on Docker Hub.
 * The result is shared between callers: never change it.
 */
export function parseImageRef(ref: string): ImageRef | ImageRefError {
  let r = parsedRefs.get(ref)
  if (r === undefined) {
    // A bounded memo: clearing when full keeps the common case (a few images) without an LRU.
    if (parsedRefs.size >= PARSED_REFS_MAX) parsedRefs.clear()
    r = Object.freeze(parseImageRefUncached(ref))
    parsedRefs.set(ref, r)
  }
  return r
}

function parseImageRefUncached(ref: string): ImageRef | ImageRefError {
  const fail = (message: string): ImageRefError => ({ ref, message })
  if (!ref) return fail('repository name must have at least one component')
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) return fail('invalid digest format')
  }
  let tag: string | undefined
  const lastSlash = rest.lastIndexOf('/')
  const colon = rest.indexOf(':', lastSlash + 1)
  if (colon >= 0) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag)) return fail('invalid reference format')
  }
  let domain = DEFAULT_DOMAIN
  let path = rest
  const slash = rest.indexOf('/')
  const first = slash >= 0 ? rest.slice(0, slash) : ''
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first
    path = rest.slice(slash + 1)
    if (!DOMAIN.test(domain)) return fail('invalid reference format')
  }
  if (!path) return fail('invalid reference format')
  for (const part of path.split('/')) {
    if (!PATH_COMPONENT.test(part)) {
      return fail(part.toLowerCase() === part ? 'invalid reference format' : 'invalid reference format: repository name must be lowercase')
    }
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path
  if (domain.length + 1 + path.length > 255) return fail('repository name must not be more than 255 characters')
  return { domain, path, tag, digest }
}

/** Whether a parse result is an error. */
export function isImageRefError(r: ImageRef | ImageRefError): r is ImageRefError {
  return (r as ImageRefError).message !== undefined
}

/** The fully qualified repository name (`docker.io/library/nginx`). */
export function repositoryName(r: ImageRef): string {
  return `${r.domain}/${r.path}`
}

/**
 * The reference as containerd reports it: repository plus tag (default `latest`) and digest
 * (`nginx` → `docker.io/library/nginx:latest`; `a/b@sha256:…` keeps only the digest).
 */
export function normalizedImage(r: ImageRef): string {
  const name = repositoryName(r)
  if (r.digest) return r.tag ? `${name}:${r.tag}@${r.digest}` : `${name}@${r.digest}`
  return `${name}:${r.tag ?? 'latest'}`
}
