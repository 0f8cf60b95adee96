/**
 * The selectors of the ReplicaSets seen so far, by namespace, so that a change to an orphan pod
 * (no controller) can be mapped at once to the ReplicaSets that may adopt it (getPodReplicaSets).
 * Kept current by the reconciles: every ReplicaSet is reconciled after each change to it.
 */
import type { KObject } from '../../api/object.js'
import { fromLabelSelector, type LabelSelector, type LabelSelectorSpec } from '../../api/selectors/index.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'

/** ReplicaSet selectors by namespace and name. */
export class SelectorIndex {
  private readonly byNamespace = new Map<string, Map<string, LabelSelector>>()

  /** Records (or replaces) a ReplicaSet's selector. */
  set(rs: KObject): LabelSelector {
    const selector = selectorOf(rs)
    const ns = rs.metadata.namespace ?? ''
    let m = this.byNamespace.get(ns)
    if (!m) this.byNamespace.set(ns, (m = new Map()))
    m.set(rs.metadata.name!, selector)
    return selector
  }

  /** Forgets a ReplicaSet. */
  delete(namespace: string | undefined, name: string): void {
    this.byNamespace.get(namespace ?? '')?.delete(name)
  }

  /** The names of the ReplicaSets in the namespace whose selector matches the labels. */
  matching(namespace: string | undefined, labels: Record<string, string> | undefined): string[] {
    const out: string[] = []
    for (const [name, sel] of this.byNamespace.get(namespace ?? '') ?? []) if (!sel.empty && sel.matches(labels)) out.push(name)
    return out
  }
}

/** A ReplicaSet's spec.selector as a LabelSelector (an invalid one matches nothing). */
export function selectorOf(rs: KObject): LabelSelector {
  try {
    return labelSelectorOf((rs.spec as { selector?: LabelSelectorSpec } | undefined)?.selector)
  } catch {
    return fromLabelSelector(null)
  }
}
