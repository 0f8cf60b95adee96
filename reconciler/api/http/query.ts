/** Query parameters of requests, as kube-apiserver reads them: list, watch and write options. */
import type { ListOptions, WatchOptions, WriteOptions } from '../api-server.js'

/** `?a=b&…`, or an empty string when there is nothing to send. */
export function queryString(params: Array<[string, string | number | boolean | undefined]>): string {
  const q = new URLSearchParams()
  for (const [k, v] of params) if (v !== undefined && v !== '') q.append(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** labelSelector, fieldSelector, limit, continue. */
export function listParams(o: ListOptions): Array<[string, string | number | undefined]> {
  return [
    ['labelSelector', o.labelSelector],
    ['fieldSelector', o.fieldSelector],
    ['limit', o.limit && o.limit > 0 ? o.limit : undefined],
    ['continue', o.continue],
  ]
}

/** watch=true with selectors and the version to start from; bookmarks are always asked for (to resume). */
export function watchParams(o: WatchOptions, resourceVersion: string | undefined): Array<[string, string | undefined]> {
  return [
    ['watch', 'true'],
    ['labelSelector', o.labelSelector],
    ['fieldSelector', o.fieldSelector],
    ['resourceVersion', resourceVersion],
    ['allowWatchBookmarks', 'true'],
  ]
}

/**
 * dryRun, fieldManager, fieldValidation. The in-process server validates strictly unless told
 * otherwise, kube-apiserver warns: the client sends Strict by default so both behave alike.
 */
export function writeParams(o: WriteOptions): Array<[string, string | undefined]> {
  return [
    ['dryRun', o.dryRun ? 'All' : undefined],
    ['fieldManager', o.fieldManager],
    ['fieldValidation', o.fieldValidation ?? 'Strict'],
  ]
}
