/**
 * The NodeAffinity plugin's matching (component-helpers nodeaffinity): a pod's nodeSelector (every
 * pair must be a node label) and its required node affinity (nodeSelectorTerms are ORed; within a
 * term matchExpressions and matchFields are ANDed; a term with neither matches nothing), and the
 * preferred terms' weights used for scoring.
 */

/** One node selector requirement. */
export interface NodeSelectorRequirement {
  key: string
  operator: string
  values?: string[]
}

/** One node selector term. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[]
  matchFields?: NodeSelectorRequirement[]
}

/** A pod's node affinity. */
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] }
  preferredDuringSchedulingIgnoredDuringExecution?: Array<{ weight: number; preference: NodeSelectorTerm }>
}

const intRe = /^[+-]?[0-9]+$/

/** Whether one requirement holds for the labels (In, NotIn, Exists, DoesNotExist, Gt, Lt). */
export function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key)
  const v = labels[r.key]
  const values = r.values ?? []
  switch (r.operator) {
    case 'In':
      return has && values.includes(v)
    case 'NotIn':
      return !has || !values.includes(v)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1 || !intRe.test(v) || !intRe.test(values[0])) return false
      const a = BigInt(v)
      const b = BigInt(values[0])
      return r.operator === 'Gt' ? a > b : a < b
    }
    default:
      return false
  }
}

/** Whether a term matches a node (its labels and, for matchFields, its name). */
export function termMatches(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (!exprs.length && !fields.length) return false
  for (const r of exprs) if (!requirementMatches(r, labels)) return false
  for (const f of fields) {
    if (f.key !== 'metadata.name') return false
    if (!requirementMatches({ ...f, key: 'metadata.name' }, { 'metadata.name': nodeName })) return false
  }
  return true
}

/** A compiled matcher for a pod's nodeSelector and required node affinity; undefined when the pod has neither. */
export function requiredNodeMatcher(
  nodeSelector: Record<string, string> | undefined,
  affinity: NodeAffinity | undefined,
): ((labels: Record<string, string>, nodeName: string) => boolean) | undefined {
  const selector = Object.entries(nodeSelector ?? {})
  const terms = affinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
  if (!selector.length && terms === undefined) return undefined
  return (labels, nodeName) => {
    for (const [k, v] of selector) if (labels[k] !== v) return false
    if (terms === undefined) return true
    for (const t of terms) if (termMatches(t, labels, nodeName)) return true
    return false
  }
}

/** The sum of the weights of the preferred terms the node matches (NodeAffinity's raw score). */
export function preferredScore(affinity: NodeAffinity | undefined, labels: Record<string, string>, nodeName: string): number {
  let score = 0
  for (const p of affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (p.weight && termMatches(p.preference, labels, nodeName)) score += p.weight
  }
  return score
}

/** The NodeAffinity filter's reason. */
export const NODE_AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector"
