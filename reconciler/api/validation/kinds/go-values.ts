/** `%#v` renderings of the few Go values kind validation shows in messages (maps, selectors, structs). */
import { goQuote, goStringSlice } from '../go-format.js'
import { arr, obj, str, strMap } from './field.js'

/** `map[string]string{"a":"b"}` with keys sorted, as Go prints maps; `map[string]string(nil)` for nil. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (m === undefined) return 'map[string]string(nil)'
  const parts = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k])}`)
  return `map[string]string{${parts.join(', ')}}`
}

/** `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}`, as kube-apiserver prints a selector. */
export function goLabelSelector(selector: unknown): string {
  const s = obj(selector)
  if (!s) return 'null'
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${arr(s.matchExpressions)
        .map((e) => {
          const r = obj(e) ?? {}
          const values = Array.isArray(r.values) ? goStringSlice(arr(r.values).map(str)) : '[]string(nil)'
          return `v1.LabelSelectorRequirement{Key:${goQuote(str(r.key))}, Operator:${goQuote(str(r.operator))}, Values:${values}}`
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)'
  return `v1.LabelSelector{MatchLabels:${goStringMap(strMap(s.matchLabels))}, MatchExpressions:${exprs}}`
}

/** `(*int64)(nil)` or the number, as a pointer field prints inside `%#v` of a struct (value shown). */
export function goIntPtr(v: unknown, type = 'int64'): string {
  return typeof v === 'number' ? `(*${type})(${v})` : `(*${type})(nil)`
}
