/** Label and field selectors of a list or watch, prepared for the watch cache. */
import type { KindInfo } from './kinds.js'
import type { KObject } from './object.js'
import { convertFieldSelector, fieldSelectorMatches, indexableTerms, parseFieldSelector, parseLabelSelector } from './selectors/index.js'
import type { LabelSelector } from './selectors/index.js'
import type { CacheFilter } from './watch-cache.js'

/**
 * Label selector strings already parsed: controllers list with the same few selectors over and
 * over (a ReplicaSet's, a Service's), and parsing checks every key and value again. A parsed
 * selector is immutable; strings that fail to parse are not kept (each request gets its 400).
 */
const parsedSelectors = new Map<string, LabelSelector>()

function labelSelectorOf(s: string): LabelSelector {
  let sel = parsedSelectors.get(s)
  if (sel === undefined) {
    sel = parseLabelSelector(s)
    if (parsedSelectors.size >= 4096) parsedSelectors.clear()
    parsedSelectors.set(s, sel)
  }
  return sel
}

/** A CacheFilter for a request's namespace and selectors (parse errors are 400s). */
export function makeFilter(k: KindInfo, o: { namespace?: string; labelSelector?: string; fieldSelector?: string }): CacheFilter {
  const labels = o.labelSelector ? labelSelectorOf(o.labelSelector) : undefined
  // Converting up front refuses an unsupported field label even when nothing would match.
  const fields = o.fieldSelector ? convertFieldSelector(parseFieldSelector(o.fieldSelector), k.kind) : undefined
  const tests: Array<(obj: KObject) => boolean> = []
  if (o.namespace) tests.push((obj) => obj.metadata.namespace === o.namespace)
  if (labels && !labels.empty) tests.push((obj) => labels.matches(obj.metadata.labels))
  if (fields && !fields.empty) tests.push((obj) => fieldSelectorMatches(fields, k.kind, obj))
  return {
    namespace: o.namespace,
    labelTerms: labels ? indexableTerms(labels) : undefined,
    matches: tests.length ? (obj) => tests.every((t) => t(obj)) : undefined,
  }
}
