/**
 * The selectors of the ReplicaSets seen so far, by namespace, so that a change to an orphan pod
 * (no controller) can be mapped at once to the ReplicaSets that may adopt it (getPodReplicaSets).
 * Kept current by the reconciles: every ReplicaSet is reconciled after each change to it. Each
 * entry is the selector's spec as the ReplicaSet spells it (what the controller's checkpoint
 * saves); parsed selectors are remembered by spec (selectorOfSpec).
 */
import type { KObject } from '../../api/object.js'
import { fromLabelSelector, type LabelSelector, type LabelSelectorSpec } from '../../api/selectors/index.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import { isName, isSelectorSpec, type SavedSelectors } from './checkpoint.js'

type Spec = LabelSelectorSpec | null

/** The index's own form: per namespace, each ReplicaSet's selector spec (a restored list of pairs until first read). */
export type SelectorMap = Map<string, Map<string, Spec> | SavedSelectors>

/** ReplicaSet selectors by namespace and name. */
export class SelectorIndex {
  /**
   * Per namespace, each ReplicaSet's selector spec in the order recorded. A restored namespace
   * stays the saved list of pairs until first read or changed; a restored spec is checked when
   * first matched (a spec never parsed here is a restored one: see matching).
   */
  private byNamespace: SelectorMap = new Map()
  /** Whether a restored record turned out malformed (it was dropped: see Checkpoint.damaged). */
  damaged = false

  /** Records (or replaces) a ReplicaSet's selector. */
  set(rs: KObject): LabelSelector {
    return this.setSpec(rs.metadata.namespace ?? '', rs.metadata.name!, selectorSpecOf(rs))
  }

  /** Records (or replaces) the selector of the ReplicaSet `namespace/name` from its spec. */
  setSpec(namespace: string, name: string, spec: Spec): LabelSelector {
    const selector = selectorOfSpec(spec)
    let m = this.namespace(namespace)
    if (!m) this.byNamespace.set(namespace, (m = new Map()))
    m.set(name, spec)
    return selector
  }

  /** Forgets a ReplicaSet (a namespace left without any goes, as it was never seen). */
  delete(namespace: string | undefined, name: string): void {
    const ns = namespace ?? ''
    const m = this.namespace(ns)
    if (m?.delete(name) && !m.size) this.byNamespace.delete(ns)
  }

  /** The names of the ReplicaSets in the namespace whose selector matches the labels. */
  matching(namespace: string | undefined, labels: Record<string, string> | undefined): string[] {
    const m = this.namespace(namespace ?? '')
    if (!m) return []
    const out: string[] = []
    for (const [name, spec] of m) {
      const selector = (spec === null ? NOTHING : parsed.get(spec)) ?? this.checked(m, name, spec)
      if (selector && !selector.empty && selector.matches(labels)) out.push(name)
    }
    return out
  }

  /** A restored entry's selector, parsed, when the entry is well formed; else it is dropped. */
  private checked(m: Map<string, Spec>, name: string, spec: Spec): LabelSelector | undefined {
    if (isName(name) && isSelectorSpec(spec)) return selectorOfSpec(spec)
    this.damaged = true
    m.delete(name)
    return undefined
  }

  /** A namespace's entries (a restored list made a Map on first use; one that is not a list of pairs is dropped). */
  private namespace(ns: string): Map<string, Spec> | undefined {
    const v = this.byNamespace.get(ns)
    if (v instanceof Map || (v === undefined && !this.byNamespace.has(ns))) return v
    try {
      if (!Array.isArray(v) || !v.length) throw new TypeError('not a list of ReplicaSets')
      const m = new Map<string, Spec>(v)
      this.byNamespace.set(ns, m)
      return m
    } catch {
      this.damaged = true
      this.byNamespace.delete(ns)
      return undefined
    }
  }

  /** Every namespace's entries as a checkpoint saves them, in the order `matching` walks them (a namespace never read since the restore as it was restored). */
  save(): Array<[string, SavedSelectors]> {
    return Array.from(this.byNamespace, ([ns, m]): [string, SavedSelectors] => [ns, m instanceof Map ? [...m] : m])
  }

  /** Puts back what `save` gave, made a Map (`new Map(saved)`: each namespace is checked when first read). */
  restore(byNamespace: SelectorMap): void {
    this.byNamespace = byNamespace
    this.damaged = false
  }
}

/** The selector of no spec: matches nothing. */
const NOTHING = fromLabelSelector(null)

/** Parsed selectors by spec (a LabelSelector is a pure function of its spec): matching parses each spec once. */
const parsed = new WeakMap<LabelSelectorSpec, LabelSelector>()

/** A selector spec as a LabelSelector, parsed once per spec object (an invalid one matches nothing). */
export function selectorOfSpec(spec: Spec): LabelSelector {
  if (spec === null) return NOTHING
  let selector = parsed.get(spec)
  if (!selector) parsed.set(spec, (selector = parseSelector(spec)))
  return selector
}

/** Remembers the parse of a spec (made elsewhere, e.g. by a sync), for selectorOfSpec. */
export function rememberSelector(spec: LabelSelectorSpec, selector: LabelSelector): void {
  parsed.set(spec, selector)
}

/** A ReplicaSet's spec.selector as a LabelSelector (an invalid one matches nothing). */
export function selectorOf(rs: KObject): LabelSelector {
  return parseSelector(selectorSpecOf(rs))
}

/** A ReplicaSet's spec.selector as written (null when absent). */
function selectorSpecOf(rs: KObject): Spec {
  return (rs.spec as { selector?: Spec } | undefined)?.selector ?? null
}

/** A selector spec as a LabelSelector (an invalid one matches nothing). */
export function parseSelector(spec: Spec): LabelSelector {
  try {
    return labelSelectorOf(spec)
  } catch {
    return fromLabelSelector(null)
  }
}
