/**
 * Label selectors: the string form (`?labelSelector=`, `kubectl -l`), the structured form
 * (metav1.LabelSelector in specs) and plain equality maps, all as one LabelSelector value.
 */
import { badRequest } from '../errors.js'
import { aggregateMessage } from '../validation/field-error.js'
import { goQuote } from '../validation/go-format.js'
import { LabelParseError, parseRequirements } from './label-parser.js'
import { newRequirement, requirementMatches, requirementToString, type Operator, type Requirement } from './label-requirement.js'

export type { Operator, Requirement } from './label-requirement.js'

/** A parsed selector. Requirements are ANDed and sorted by key. */
export interface LabelSelector {
  readonly requirements: readonly Requirement[]
  /** Matches every object (no requirements). */
  readonly empty: boolean
  /** Matches no object (from a null metav1.LabelSelector). */
  readonly nothing: boolean
  /** Whether labels (absent = none) satisfy every requirement. */
  matches(labels: Record<string, string> | undefined | null): boolean
  /** Kubernetes' canonical text: requirements by key, joined by `,` (`""` for empty and nothing). */
  toString(): string
  /** The single value an equality-like requirement on `key` demands (`=`, `==`, or `in` of one value). */
  requiresExactMatch(key: string): string | undefined
}

const byKey = (a: Requirement, b: Requirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

class RequirementsSelector implements LabelSelector {
  readonly nothing = false
  readonly requirements: readonly Requirement[]
  constructor(reqs: Requirement[]) {
    this.requirements = Object.freeze([...reqs].sort(byKey))
  }
  get empty(): boolean {
    return this.requirements.length === 0
  }
  matches(labels: Record<string, string> | undefined | null): boolean {
    const l = labels ?? {}
    return this.requirements.every((r) => requirementMatches(r, l))
  }
  toString(): string {
    return this.requirements.map(requirementToString).join(',')
  }
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key)
    if (r && (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0]
    return undefined
  }
}

const nothingSelector: LabelSelector = Object.freeze({
  requirements: Object.freeze([]) as readonly Requirement[],
  empty: false,
  nothing: true,
  matches: () => false,
  toString: () => '',
  requiresExactMatch: () => undefined,
})

const everythingSelector: LabelSelector = new RequirementsSelector([])

/** The selector that matches every object. */
export function everything(): LabelSelector {
  return everythingSelector
}

/** The selector that matches no object. */
export function nothing(): LabelSelector {
  return nothingSelector
}

/** A selector from requirements already checked (sorted by key here). */
export function selectorFromRequirements(reqs: readonly Requirement[]): LabelSelector {
  return reqs.length === 0 ? everythingSelector : new RequirementsSelector([...reqs])
}

/**
 * Parse a selector string (`app=web,tier in (a,b),!canary`). Throws `badRequest` with the message
 * kube-apiserver gives (`unable to parse requirement: …`, `found ',', expected: …`).
 */
export function parseLabelSelector(s: string): LabelSelector {
  try {
    return selectorFromRequirements(parseRequirements(s))
  } catch (e) {
    if (e instanceof LabelParseError) throw badRequest(e.message)
    throw e
  }
}

/** `key=value` for every entry, unchecked (labels.SelectorFromSet); an empty map matches everything. */
export function equalitySelector(map: Record<string, string> | undefined | null): LabelSelector {
  const reqs = Object.entries(map ?? {}).map(([key, v]): Requirement => ({ key, operator: '=', values: [v] }))
  return selectorFromRequirements(reqs)
}

/** metav1.LabelSelector. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null
}

const expressionOperators: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }

/**
 * metav1.LabelSelectorAsSelector: null or undefined matches nothing, `{}` matches everything. Throws
 * `badRequest` with Kubernetes' message for an unknown operator or an invalid requirement (run
 * validateLabelSelector first to get field-level causes).
 */
export function fromLabelSelector(sel: LabelSelectorSpec | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return nothingSelector
  const labels = sel.matchLabels ?? {}
  const exprs = sel.matchExpressions ?? []
  if (Object.keys(labels).length + exprs.length === 0) return everythingSelector
  const reqs: Requirement[] = []
  const add = (key: string, op: Operator, values: string[]): void => {
    const { requirement, errors } = newRequirement(key, op, values)
    if (errors.length) throw badRequest(aggregateMessage(errors))
    reqs.push(requirement)
  }
  for (const [k, v] of Object.entries(labels)) add(k, '=', [v])
  for (const e of exprs) {
    const op = Object.hasOwn(expressionOperators, e.operator) ? expressionOperators[e.operator] : undefined
    if (!op) throw badRequest(`${goQuote(String(e.operator))} is not a valid label selector operator`)
    add(e.key, op, [...(e.values ?? [])])
  }
  return selectorFromRequirements(reqs)
}

/** The `key=value` terms an index can answer (`=`, `==`, or `in` of one value), in key order. */
export function indexableTerms(sel: LabelSelector): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const r of sel.requirements) {
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) out.push([r.key, r.values[0]])
  }
  return out
}

/** Whether every requirement is an equality on one value, so an index answers the whole selector. */
export function isEqualitySelector(sel: LabelSelector): boolean {
  return !sel.nothing && indexableTerms(sel).length === sel.requirements.length
}
