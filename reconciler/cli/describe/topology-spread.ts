/** describeTopologySpreadConstraints: one line per constraint, sorted by topology key. */
import { byteCompare, formatLabelSelector } from '../../api/table/labels.js'
import { LEVEL_0, type PrefixWriter } from './prefix-writer.js'

/** A topologySpreadConstraints item, the fields describe reads. */
export type SpreadConstraint = { topologyKey?: string; whenUnsatisfiable?: string; maxSkew?: number; labelSelector?: unknown }

/** "Topology Spread Constraints:  zone:DoNotSchedule when max skew 1 is exceeded for selector app=x". */
export function describeTopologySpread(tscs: SpreadConstraint[] | undefined, w: PrefixWriter, space: string): void {
  if (!tscs || tscs.length === 0) return
  const sorted = [...tscs].sort((a, b) => byteCompare(a.topologyKey ?? '', b.topologyKey ?? ''))
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`)
  sorted.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, space)
      w.write(LEVEL_0, '\t')
    }
    let line = `${t.topologyKey ?? ''}:${t.whenUnsatisfiable ?? ''} when max skew ${t.maxSkew ?? 0} is exceeded`
    if (t.labelSelector) line += ` for selector ${formatLabelSelector(t.labelSelector)}`
    w.write(LEVEL_0, `${line}\n`)
  })
}
