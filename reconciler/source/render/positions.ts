/** Where fields sit in the source file: kept from the parse, looked up by field path. */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'
import type { ManifestObject } from './types.js'

/** One step of a field path: a map key, a list index, or a list item chosen by a key's value (`[name="web"]`). */
export type FieldPathSegment = string | number | { key: string; value: string }

interface Source {
  node: Node
  doc: Document
  lines: LineCounter
}

// Keyed by the object itself, so that copies of the ManifestObject wrapper still find it. A
// function is a source not parsed yet (see rememberLazySource).
const sources = new WeakMap<object, Source | (() => Source | undefined)>()

/** Remember the YAML node an object was read from (used by the parser only). */
export function rememberSource(object: object, node: Node | null | undefined, doc: Document, lines: LineCounter): void {
  if (node) sources.set(object, { node, doc, lines })
}

/**
 * Remember how to find the YAML node an object was read from, for an object read without the
 * `yaml` package's document tree (parse-simple-yaml.ts): `load` parses the text again, only when
 * a field's line is asked for (an error to place), so the thousands of objects a sync reads keep
 * no document trees alive.
 */
export function rememberLazySource(object: object, load: () => Source | undefined): void {
  sources.set(object, load)
}

/** The yaml node, document and line counter an object was read from, if it was read by `parseManifests`. */
export function sourceOf(object: object): Source | undefined {
  const s = sources.get(object)
  if (typeof s !== 'function') return s
  const loaded = s()
  if (loaded) sources.set(object, loaded)
  else sources.delete(object)
  return loaded
}

function lineOf(s: Source, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : s.lines.linePos(offset).line
}

function resolve(node: unknown, doc: Document): unknown {
  let n = node
  for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(doc)
  return n
}

function keyText(key: unknown, doc: Document): string | undefined {
  const k = resolve(key, doc)
  // A merge key's value is a symbol; any other key reads as toJS writes it into the object.
  if (isScalar(k)) return typeof k.value === 'symbol' ? '<<' : String(k.value)
  return undefined
}

/** The pair of `map` whose key is `name`, looking through `<<` merge keys as the values do. */
function findPair(map: unknown, name: string, doc: Document, depth = 0): { key: Node; value: unknown } | undefined {
  if (!isMap(map) || depth > 10) return undefined
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i]
    if (keyText(pair.key, doc) === name) return { key: pair.key as Node, value: pair.value }
  }
  for (const pair of map.items) {
    if (keyText(pair.key, doc) !== '<<') continue
    const merged = resolve(pair.value, doc)
    const sourcesOfMerge = isSeq(merged) ? merged.items : [merged]
    for (const m of sourcesOfMerge) {
      const found = findPair(resolve(m, doc), name, doc, depth + 1)
      if (found) return found
    }
  }
  return undefined
}

/**
 * The 1-based line of the field at `path` in the file the object came from, e.g.
 * `['spec', 'template', 'spec', 'containers', 0, 'image']`. When the path goes further than the
 * file does (a required field that is missing), the line of the deepest part that exists is given,
 * unless `exact` is set. Undefined for an object that was not read from a file.
 */
export function fieldLine(
  manifest: ManifestObject | Record<string, unknown>,
  path: readonly FieldPathSegment[] | string,
  { exact = false }: { exact?: boolean } = {},
): number | undefined {
  const object = 'object' in manifest && 'file' in manifest && typeof manifest.object === 'object' ? manifest.object : manifest
  const s = sourceOf(object as object)
  if (!s) return undefined
  const segments = typeof path === 'string' ? parseFieldPath(path) : path
  let node: unknown = resolve(s.node, s.doc)
  let line = lineOf(s, (node as Node | undefined)?.range?.[0])
  for (const seg of segments) {
    let next: unknown
    let at: number | undefined
    if (typeof seg === 'object') {
      if (isSeq(node)) {
        for (const item of node.items) {
          const found = findPair(resolve(item, s.doc), seg.key, s.doc)
          if (found && keyText(found.value, s.doc) === seg.value) {
            next = item
            break
          }
        }
      }
      at = (next as Node | undefined)?.range?.[0]
    } else if (isSeq(node) && (typeof seg === 'number' || /^\d+$/.test(seg))) {
      next = node.items[Number(seg)]
      at = (next as Node | undefined)?.range?.[0]
    } else if (isMap(node)) {
      const found = findPair(node, String(seg), s.doc)
      if (found) {
        next = found.value ?? null
        at = found.key.range?.[0]
      }
    }
    if (at === undefined) return exact ? undefined : line
    line = lineOf(s, at)
    node = resolve(next, s.doc)
  }
  return line
}

/**
 * Split an API field path into segments: `spec.template.spec.containers[0].image`,
 * `metadata.labels[app.kubernetes.io/name]`, `.spec.containers[name="web"].image`.
 */
export function parseFieldPath(path: string): FieldPathSegment[] {
  const out: FieldPathSegment[] = []
  let i = 0
  let name = ''
  const flush = () => {
    if (name !== '') out.push(name)
    name = ''
  }
  while (i < path.length) {
    const c = path[i]
    if (c === '.') {
      flush()
      i++
    } else if (c === '[') {
      flush()
      const end = path.indexOf(']', i)
      if (end < 0) {
        name = path.slice(i)
        break
      }
      const inner = path.slice(i + 1, end)
      const selector = /^([^=]+)="(.*)"$/.exec(inner)
      if (/^\d+$/.test(inner)) out.push(Number(inner))
      else if (selector) out.push({ key: selector[1], value: selector[2] })
      else out.push(inner)
      i = end + 1
    } else {
      name += c
      i++
    }
  }
  flush()
  return out
}
