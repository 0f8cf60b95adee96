/**
 * Parsed label selectors remembered by their JSON text: the controllers turn the same few
 * selectors (a Deployment's, its ReplicaSets') into LabelSelectors on every sync, and a
 * LabelSelector is immutable and a pure function of its spec. The memo is emptied when full.
 */
import { fromLabelSelector, type LabelSelector, type LabelSelectorSpec } from '../../api/selectors/index.js'

const memo = new Map<string, LabelSelector>()
const MEMO_LIMIT = 8192

/** fromLabelSelector(spec), from the memo when the same spec (by JSON text) was parsed before; an invalid spec throws as fromLabelSelector does. */
export function labelSelectorOf(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (spec === null || spec === undefined) return fromLabelSelector(spec)
  const text = JSON.stringify(spec)
  let selector = memo.get(text)
  if (selector) return selector
  selector = fromLabelSelector(spec)
  if (memo.size >= MEMO_LIMIT) memo.clear()
  memo.set(text, selector)
  return selector
}
