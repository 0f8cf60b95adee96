/**
 * The desired objects of a commit that was synced: its trees read in bulk, each manifest's parse
 * taken from the state's parsed-blob cache (a blob the cache lacks is read and parsed). The same
 * objects as the render step's for a tree without kustomizations; undefined when a manifest has a
 * problem or the tree has a kustomization (the full plan then reports or renders it).
 */
import type { ApiServer } from '../../api/api-server.js'
import { bulkReader, listTreeFiles } from '../../source/git/bulk-read.js'
import { blobParser, isKustomizationFile, type ParsedBlob, type ParsedBlobCache } from '../../source/git/index.js'
import type { ManifestObject } from '../../source/render/index.js'
import { desiredObjects, type DesiredObject } from '../desired.js'
import { storedBlobCache } from '../state/blob-store.js'
import { BLOB_PREFIX } from '../state/keys.js'
import type { ResolvedSource } from '../sync/source.js'

const MANIFEST_FILE = /\.(ya?ml|json)$/

/** Every desired object of `src` (namespaced objects without a namespace go to `namespace`), or undefined. */
export async function renderFromCache(api: ApiServer, src: ResolvedSource, namespace: string): Promise<DesiredObject[] | undefined> {
  const reader = bulkReader(src.repo)
  if (src.tree && (await reader.typeOf(src.tree)) !== 'tree') return undefined
  const files = await listTreeFiles(reader, src.tree, src.path)
  if (files.some((f) => isKustomizationFile(f.path))) return undefined
  const parser = blobParser(src.repo, preloaded(api, storedBlobCache(api.storage)))
  const objects: ManifestObject[] = []
  for (const f of files) {
    if (!MANIFEST_FILE.test(f.path) || (f.mode !== '100644' && f.mode !== '100755')) continue
    const parsed = await parser.parse(f.oid, f.path)
    if (parsed.errors.length) return undefined
    for (const o of parsed.objects) objects.push(o.item === undefined ? { object: o.object, file: f.path, doc: o.doc, line: o.line } : { object: o.object, file: f.path, doc: o.doc, line: o.line, item: o.item })
  }
  const { desired, problems } = desiredObjects(objects, namespace)
  return problems.length ? undefined : desired
}

/** The state's cached parses read in one range (thousands of point reads cost several times more); misses go to `cache`. */
function preloaded(api: ApiServer, cache: ParsedBlobCache): ParsedBlobCache {
  let all: Promise<Map<string, string>> | undefined
  return {
    async get(key) {
      all ??= api.storage.range(BLOB_PREFIX).then((r) => new Map(r.items.map((kv) => [kv.key.slice(BLOB_PREFIX.length), kv.value])))
      const text = (await all).get(key)
      return text === undefined ? cache.get(key) : (JSON.parse(text) as ParsedBlob)
    },
    put: (key, parsed) => cache.put(key, parsed),
  }
}
