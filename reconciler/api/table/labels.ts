/** Label and label-selector strings as k8s.io/apimachinery formats them. */
import { arr, map } from './get-path.js'

/** Go's sort.Strings order (byte order for ASCII; UTF-16 order is close enough otherwise). */
export const byteCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** labels.FormatLabels: "k1=v1,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Record<string, unknown> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort(byteCompare)
  if (keys.length === 0) return '<none>'
  return keys.map((k) => `${k}=${String((labels as Record<string, unknown>)[k])}`).join(',')
}

type Requirement = { key: string; text: string }

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, "" for an empty
 * selector; null for a nil selector (labels.Nothing(), which also prints "").
 * Returns undefined when the selector is invalid (an unknown operator).
 */
export function labelSelectorString(selector: unknown): string | undefined {
  if (selector === null || selector === undefined) return ''
  const reqs: Requirement[] = []
  for (const [k, v] of Object.entries(map(selector, 'matchLabels'))) reqs.push({ key: k, text: `${k}=${String(v)}` })
  for (const expr of arr(selector, 'matchExpressions')) {
    const e = expr as { key?: string; operator?: string; values?: string[] }
    const key = e.key ?? ''
    const values = [...(e.values ?? [])].sort(byteCompare)
    switch (e.operator) {
      case 'In': reqs.push({ key, text: `${key} in (${values.join(',')})` }); break
      case 'NotIn': reqs.push({ key, text: `${key} notin (${values.join(',')})` }); break
      case 'Exists': reqs.push({ key, text: key }); break
      case 'DoesNotExist': reqs.push({ key, text: `!${key}` }); break
      default: return undefined
    }
  }
  // labels.Selector sorts requirements by key (stable for equal keys).
  reqs.sort((a, b) => byteCompare(a.key, b.key))
  return reqs.map((r) => r.text).join(',')
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector)
  if (s === undefined) return '<error>'
  return s === '' ? '<none>' : s
}
