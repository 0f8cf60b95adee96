/**
 * The simulated registry's rule and its edits (pure). An image pulls unless its repository is
 * listed with other tags: an unlisted repository always pulls, a digest always pulls (the registry
 * lists tags, not digests), and a listed repository pulls only the tags it lists.
 *
 * Example, with `gcr.io/google_containers/update-demo: [nautilus, kitten]` listed:
 *   update-demo:nautilus → pulls;  update-demo:kitty → not found;  nginx:1.25 → pulls (unlisted).
 */
import { isImageRefError, parseImageRef, repositoryName, type ImageRefError } from './image-ref.js'
import type { RegistryConfig, SimConfig } from './sim-config.js'

/** Whether the image pulls in the simulated registry. An unparsable reference does not pull. */
export function imageExists(cfg: SimConfig, image: string): boolean {
  const ref = parseImageRef(image)
  if (isImageRefError(ref)) return false
  if (ref.digest) return true
  const tags = listedTags(cfg.registry, repositoryName(ref))
  return tags === undefined || tags.includes(ref.tag ?? 'latest')
}

/** The tags listed for a fully qualified repository (any spelling of it in the config), or undefined if unlisted. */
export function listedTags(registry: RegistryConfig, fullName: string): string[] | undefined {
  let found: string[] | undefined
  for (const [repo, tags] of Object.entries(registry.repositories)) {
    if (canonicalRepository(repo) === fullName) found = [...(found ?? []), ...tags]
  }
  return found
}

/** The fully qualified name of a repository as written in the config (`nginx` → `docker.io/library/nginx`), or the text itself if it does not parse. */
export function canonicalRepository(repo: string): string {
  const ref = parseImageRef(repo)
  return isImageRefError(ref) ? repo : repositoryName(ref)
}

/** Adds `repo:tag` entries (no tag: `latest`). Digests are refused. Returns the new registry and the problems. */
export function addToRegistry(registry: RegistryConfig, refs: string[]): { registry: RegistryConfig; errors: ImageRefError[] } {
  const repositories = cloneRepos(registry)
  const errors: ImageRefError[] = []
  for (const text of refs) {
    const split = splitRepoTag(text)
    if ('message' in split) {
      errors.push(split)
      continue
    }
    const key = existingKey(repositories, split.repo) ?? split.repo
    const tags = repositories[key] ?? []
    if (!tags.includes(split.tag ?? 'latest')) tags.push(split.tag ?? 'latest')
    repositories[key] = tags.sort()
  }
  return { registry: { repositories }, errors }
}

/**
 * Removes `repo:tag` (that tag: the repository stays listed, so the tag no longer pulls) or `repo`
 * (the whole listing: every tag of it pulls again). Unknown entries are problems.
 */
export function removeFromRegistry(registry: RegistryConfig, refs: string[]): { registry: RegistryConfig; errors: ImageRefError[] } {
  const repositories = cloneRepos(registry)
  const errors: ImageRefError[] = []
  for (const text of refs) {
    const split = splitRepoTag(text)
    if ('message' in split) {
      errors.push(split)
      continue
    }
    const key = existingKey(repositories, split.repo)
    if (key === undefined) {
      errors.push({ ref: text, message: `repository "${split.repo}" is not in the registry` })
      continue
    }
    if (split.tag === undefined) {
      delete repositories[key]
      continue
    }
    const tags = repositories[key]
    if (!tags.includes(split.tag)) {
      errors.push({ ref: text, message: `tag "${split.tag}" of "${key}" is not in the registry` })
      continue
    }
    repositories[key] = tags.filter((t) => t !== split.tag)
  }
  return { registry: { repositories }, errors }
}

/** The registry as `repository:tag` lines, sorted (a repository listed with no tags shows as `repository` alone). */
export function registryEntries(registry: RegistryConfig): string[] {
  const out: string[] = []
  for (const repo of Object.keys(registry.repositories).sort()) {
    const tags = [...registry.repositories[repo]].sort()
    if (!tags.length) out.push(repo)
    for (const tag of tags) out.push(`${repo}:${tag}`)
  }
  return out
}

/** `repo[:tag]` split at the tag colon (a registry port's colon is not a tag). */
function splitRepoTag(text: string): { repo: string; tag?: string } | ImageRefError {
  const ref = parseImageRef(text)
  if (isImageRefError(ref)) return ref
  if (ref.digest) return { ref: text, message: 'the registry lists tags; a digest always pulls' }
  const repo = ref.tag === undefined ? text : text.slice(0, text.length - ref.tag.length - 1)
  return { repo, tag: ref.tag }
}

function existingKey(repositories: Record<string, string[]>, repo: string): string | undefined {
  const want = canonicalRepository(repo)
  return Object.keys(repositories).find((k) => canonicalRepository(k) === want)
}

function cloneRepos(registry: RegistryConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(registry.repositories)) out[k] = [...v]
  return out
}
