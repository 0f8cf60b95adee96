/**
 * capstan's own kinds in kubectl's describe style. Their schemas are capstan's, so the layouts read
 * the fields they know and print any other spec/status field the generic way, so nothing is hidden.
 */
import { byteCompare } from '../../api/table/labels.js'
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline } from './print-meta.js'
import { formatRFC1123Z } from './time-format.js'
import type { DescribeContext, KubeObject } from './types.js'
import { printUnstructured } from './unstructured.js'

type Obj = Record<string, unknown>
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {})
const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v))

/** The first of `names` present in `o`; its name is added to `used`. */
function pick(o: Obj, used: Set<string>, ...names: string[]): unknown {
  for (const n of names) {
    if (o[n] !== undefined) {
      used.add(n)
      return o[n]
    }
  }
  return undefined
}

/** The fields of `o` not in `used`, printed the generic way under `title`. */
function printRest(w: PrefixWriter, title: string, o: Obj, used: Set<string>): void {
  const rest: Obj = {}
  for (const k of Object.keys(o)) if (!used.has(k)) rest[k] = o[k]
  if (Object.keys(rest).length === 0) return
  w.write(LEVEL_0, `${title}:\n`)
  printUnstructured(w, LEVEL_1, rest, '', [])
}

type Condition = { type?: string; status?: string; reason?: string; message?: string }

function printConditions(w: PrefixWriter, conditions: unknown): void {
  const list = (Array.isArray(conditions) ? conditions : []) as Condition[]
  if (list.length === 0) return
  w.write(LEVEL_0, 'Conditions:\n')
  w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n')
  w.write(LEVEL_1, '----\t------\t------\t-------\n')
  for (const c of list) w.write(LEVEL_1, `${c.type ?? ''}\t${c.status ?? ''}\t${c.reason ?? ''}\t${c.message ?? ''}\n`)
}

/**
 * A NodePool: node counts ("N desired | N ready"), zone, the template nodes get (capacity, labels,
 * taints), the other spec and status fields, conditions, its nodes and events.
 */
export function describeNodePool(pool: KubeObject, ctx: DescribeContext): string {
  const md = pool.metadata ?? {}
  const spec = asObj(pool.spec)
  const status = asObj(pool.status)
  const usedSpec = new Set<string>()
  const usedStatus = new Set<string>()
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(md.creationTimestamp, ctx.timeZone)}\n`)
    // schemas/nodepool.json: nodesPerZone in every zone, or zoneCounts per zone.
    const zones = (pick(spec, usedSpec, 'zones') ?? []) as string[]
    const perZone = pick(spec, usedSpec, 'nodesPerZone')
    const counts = asObj(pick(spec, usedSpec, 'zoneCounts'))
    const desired = Object.keys(counts).length
      ? Object.values(counts).reduce<number>((n, c) => n + Number(c ?? 0), 0)
      : Number(perZone ?? 0) * (Array.isArray(zones) ? zones.length : 0)
    const current = pick(status, usedStatus, 'nodes')
    const ready = pick(status, usedStatus, 'readyNodes')
    const region = pick(spec, usedSpec, 'region')
    if (region !== undefined) w.write(LEVEL_0, `Region:\t${text(region)}\n`)
    w.write(LEVEL_0, `Zones:\t${Array.isArray(zones) && zones.length ? zones.join(',') : '<none>'}\n`)
    w.write(LEVEL_0, `Nodes:\t${desired} desired | ${text(current ?? 0)} current | ${text(ready ?? 0)} ready\n`)
    const machine = asObj(pick(spec, usedSpec, 'machineType'))
    if (Object.keys(machine).length) {
      w.write(LEVEL_0, `Machine Type:\t${text(machine.name)} (cpu ${text(machine.cpu)}, memory ${text(machine.memory)}, pods ${text(machine.pods ?? 110)})\n`)
    }
    const template = asObj(pick(spec, usedSpec, 'template', 'nodeTemplate'))
    const capacity = asObj(pick(spec, usedSpec, 'capacity') ?? template.capacity)
    const labels = asObj(pick(spec, usedSpec, 'labels') ?? asObj(template.metadata).labels ?? template.labels) as Record<string, string>
    const taints = (pick(spec, usedSpec, 'taints') ?? asObj(template.spec).taints ?? template.taints) as Array<{ key?: string; value?: string; effect?: string }> | undefined
    w.write(LEVEL_0, 'Node Template:\n')
    printLabelsMultiline(w, '  Labels', labels)
    printTaintsMultiline(w, '  Taints', Array.isArray(taints) ? taints : undefined)
    const names = Object.keys(capacity).sort(byteCompare)
    w.write(LEVEL_1, `Capacity:${names.length === 0 ? '\t<none>' : ''}\n`)
    for (const n of names) w.write(LEVEL_0, `    ${n}:\t${text(capacity[n])}\n`)
    printRest(w, 'Spec', spec, usedSpec)
    const conditions = pick(status, usedStatus, 'conditions')
    pick(status, usedStatus, 'observedGeneration')
    printRest(w, 'Status', status, usedStatus)
    printConditions(w, conditions)
    if (ctx.related.nodesOfPool) {
      const nodes = ctx.related.nodesOfPool(pool).map((n) => n.metadata?.name ?? '').sort(byteCompare)
      w.write(LEVEL_0, `Node Names:\t${nodes.length > 0 ? nodes.join(', ') : '<none>'}\n`)
    }
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(pool)), w, ctx.now)
  })
}

type Change = Obj
/**
 * A SyncRecord: the commit (id, author, subject, time), a table of the objects the sync changed
 * and a table of the Deployment revisions it produced. Fields are read from spec, then status,
 * then the top level, under the names capstan's design gives them.
 */
export function describeSyncRecord(rec: KubeObject, ctx: DescribeContext): string {
  const md = rec.metadata ?? {}
  const spec = asObj(rec.spec)
  const status = asObj(rec.status)
  const top = rec as Obj
  const used = { spec: new Set<string>(), status: new Set<string>(), top: new Set<string>(['apiVersion', 'kind', 'metadata', 'spec', 'status']) }
  const field = (...names: string[]): unknown => pick(spec, used.spec, ...names) ?? pick(status, used.status, ...names) ?? pick(top, used.top, ...names)
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    const commit = asObj(field('commit'))
    const commitId = Object.keys(commit).length > 0 ? (commit.id ?? commit.sha ?? commit.oid) : field('commit')
    w.write(LEVEL_0, `Commit:\t${text(commitId ?? field('commitId', 'sha', 'revision'))}\n`)
    const author = commit.author ?? field('author')
    const a = asObj(author)
    const authorText = Object.keys(a).length ? `${text(a.name)}${a.email ? ` <${text(a.email)}>` : ''}` : text(author)
    w.write(LEVEL_0, `Author:\t${authorText}\n`)
    w.write(LEVEL_0, `Subject:\t${text(commit.subject ?? commit.message ?? field('subject', 'message'))}\n`)
    const time = commit.time ?? field('time', 'syncTime', 'startTime')
    w.write(LEVEL_0, `Time:\t${time === undefined ? '<unset>' : formatRFC1123Z(time, ctx.timeZone)}\n`)
    const result = field('result', 'phase', 'outcome')
    if (result !== undefined) w.write(LEVEL_0, `Result:\t${text(result)}\n`)
    const changes = (field('changes', 'objects', 'changed') ?? []) as Change[]
    if (Array.isArray(changes) && changes.length > 0) {
      w.write(LEVEL_0, 'Changes:\n')
      w.write(LEVEL_1, 'Action\tKind\tNamespace\tName\n')
      w.write(LEVEL_1, '------\t----\t---------\t----\n')
      for (const c of changes.map(asObj)) {
        w.write(LEVEL_1, `${text(c.action ?? c.operation ?? c.change)}\t${text(c.kind)}\t${text(c.namespace) || '<none>'}\t${text(c.name)}\n`)
      }
    } else {
      w.write(LEVEL_0, 'Changes:\t<none>\n')
    }
    const rollouts = (field('deployments', 'rollouts', 'revisions') ?? []) as Obj[]
    if (Array.isArray(rollouts) && rollouts.length > 0) {
      w.write(LEVEL_0, 'Rollouts:\n')
      w.write(LEVEL_1, 'Deployment\tRevision\tReplicaSet\n')
      w.write(LEVEL_1, '----------\t--------\t----------\n')
      for (const d of rollouts.map(asObj)) {
        const name = d.namespace ? `${text(d.namespace)}/${text(d.name)}` : text(d.name ?? d.deployment)
        w.write(LEVEL_1, `${name}\t${text(d.revision)}\t${text(d.replicaSet ?? d.replicaSetName) || '<none>'}\n`)
      }
    }
    printRest(w, 'Spec', spec, used.spec)
    printRest(w, 'Status', status, used.status)
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(rec)), w, ctx.now)
  })
}
