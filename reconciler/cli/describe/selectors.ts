/** Matching labels against a LabelSelector (metav1.LabelSelectorAsSelector(...).Matches). */

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }> }

/** Whether labels match a selector; a missing selector matches nothing, an empty one everything. */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined || selector === null) return false
  const sel = selector as Selector
  const l = labels ?? {}
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false
  for (const e of sel.matchExpressions ?? []) {
    const key = e.key ?? ''
    const has = Object.prototype.hasOwnProperty.call(l, key)
    const values = e.values ?? []
    switch (e.operator) {
      case 'In': if (!has || !values.includes(l[key])) return false; break
      case 'NotIn': if (has && values.includes(l[key])) return false; break
      case 'Exists': if (!has) return false; break
      case 'DoesNotExist': if (has) return false; break
      default: return false
    }
  }
  return true
}
