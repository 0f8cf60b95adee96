/**
 * The selectors of the ReplicaSets seen so far, by namespace, so that a change to an orphan pod
 * (no controller) can be mapped at once to the ReplicaSets that may adopt it (getPodReplicaSets).
 * Kept current by the reconciles: every ReplicaSet is reconciled after each change to it. Each
 * entry keeps the selector's spec too, for the controller's checkpoint.
 */
import type { KObject } from '../../api/object.js'
import { fromLabelSelector, type LabelSelector, type LabelSelectorSpec } from '../../api/selectors/index.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'

/** One remembered selector: as the ReplicaSet spells it (null when it has none) and parsed (a restored one on first use). */
interface Entry {
  spec: LabelSelectorSpec | null
  selector?: LabelSelector
}

/** ReplicaSet selectors by namespace and name. */
export class SelectorIndex {
  private readonly byNamespace = new Map<string, Map<string, Entry>>()

  /** Records (or replaces) a ReplicaSet's selector. */
  set(rs: KObject): LabelSelector {
    return this.setSpec(rs.metadata.namespace ?? '', rs.metadata.name!, selectorSpecOf(rs))
  }

  /** Records (or replaces) the selector of the ReplicaSet `namespace/name` from its spec. */
  setSpec(namespace: string, name: string, spec: LabelSelectorSpec | null): LabelSelector {
    const selector = parseSelector(spec)
    this.entry(namespace, name, { spec, selector })
    return selector
  }

  /** Records a ReplicaSet's selector as a checkpoint held it: parsed when first matched. */
  restoreSpec(namespace: string, name: string, spec: LabelSelectorSpec | null): void {
    this.entry(namespace, name, { spec })
  }

  private entry(namespace: string, name: string, e: Entry): void {
    let m = this.byNamespace.get(namespace)
    if (!m) this.byNamespace.set(namespace, (m = new Map()))
    m.set(name, e)
  }

  /** Forgets a ReplicaSet. */
  delete(namespace: string | undefined, name: string): void {
    this.byNamespace.get(namespace ?? '')?.delete(name)
  }

  /** The names of the ReplicaSets in the namespace whose selector matches the labels. */
  matching(namespace: string | undefined, labels: Record<string, string> | undefined): string[] {
    const out: string[] = []
    for (const [name, e] of this.byNamespace.get(namespace ?? '') ?? []) {
      const selector = (e.selector ??= parseSelector(e.spec))
      if (!selector.empty && selector.matches(labels)) out.push(name)
    }
    return out
  }

  /** Every remembered ReplicaSet as [namespace, name, selector spec], in the order `matching` walks them. */
  entries(): Array<[string, string, LabelSelectorSpec | null]> {
    const out: Array<[string, string, LabelSelectorSpec | null]> = []
    for (const [ns, m] of this.byNamespace) for (const [name, { spec }] of m) out.push([ns, name, spec])
    return out
  }
}

/** A ReplicaSet's spec.selector as a LabelSelector (an invalid one matches nothing). */
export function selectorOf(rs: KObject): LabelSelector {
  return parseSelector(selectorSpecOf(rs))
}

/** A ReplicaSet's spec.selector as written (null when absent). */
function selectorSpecOf(rs: KObject): LabelSelectorSpec | null {
  return (rs.spec as { selector?: LabelSelectorSpec | null } | undefined)?.selector ?? null
}

/** A selector spec as a LabelSelector (an invalid one matches nothing). */
export function parseSelector(spec: LabelSelectorSpec | null): LabelSelector {
  try {
    return labelSelectorOf(spec)
  } catch {
    return fromLabelSelector(null)
  }
}
