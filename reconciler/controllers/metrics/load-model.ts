/**
 * The simulated load: how much cpu and memory the pods of a Deployment, or one pod, use. It lives in
 * the simulation's ConfigMap (`kube-system/capstan-sim`, key `load.json`) so every process sees the
 * same load. This file is the pure part: the shape, the edits `capstan sim load` makes, and the
 * conversion to and from the ConfigMap's data.
 *
 * A Deployment's load is either an average per pod (`cpu: 650m`: every ready pod uses 650m) or a
 * total shared by its ready pods (`totalCpu: 8`: 4 ready pods use 2 cores each); the same for memory.
 * A pod's own load, when set, replaces its Deployment's.
 */
import { isPlainObject } from '../../api/object.js'
import { milliValue } from './milli-quantity.js'

/** The ConfigMap key that holds the load. */
export const LOAD_KEY = 'load.json'

/** A Deployment's load: per pod (`cpu`, `memory`) or shared by its ready pods (`totalCpu`, `totalMemory`). */
export interface DeploymentLoad {
  cpu?: string
  totalCpu?: string
  memory?: string
  totalMemory?: string
}

/** One pod's load. */
export interface PodLoad {
  cpu?: string
  memory?: string
}

/** The whole load model; keys are `namespace/name`. */
export interface LoadModel {
  deployments: Record<string, DeploymentLoad>
  pods: Record<string, PodLoad>
}

/** What a load is set on. */
export interface LoadTarget {
  kind: 'deployment' | 'pod'
  namespace: string
  name: string
}

/** The values `capstan sim load` sets (quantity strings); unset fields keep their value. */
export type LoadChange = DeploymentLoad

/** A bad value or a bad stored document. */
export interface LoadProblem {
  field: string
  message: string
}

const DEPLOYMENT_FIELDS = ['cpu', 'totalCpu', 'memory', 'totalMemory'] as const
const POD_FIELDS = ['cpu', 'memory'] as const
/** Per pod and total exclude each other: setting one clears the other. */
const EXCLUSIVE: Record<string, keyof DeploymentLoad> = { cpu: 'totalCpu', totalCpu: 'cpu', memory: 'totalMemory', totalMemory: 'memory' }

/** A model with no load (every pod idle). */
export function emptyLoadModel(): LoadModel {
  return { deployments: {}, pods: {} }
}

/** `namespace/name`. */
export const loadKey = (namespace: string, name: string): string => `${namespace}/${name}`

/** Whether `q` is a quantity ≥ 0. */
function checkQuantity(field: string, q: unknown): LoadProblem | undefined {
  const m = milliValue(q)
  if (typeof q !== 'string' || m === undefined) return { field, message: `invalid quantity ${JSON.stringify(q)} (examples: 650m, 2, 512Mi)` }
  if (m < 0) return { field, message: `must be greater than or equal to 0, got ${q}` }
  return undefined
}

/** Reads the model from the ConfigMap's data; a bad document gives the empty model and a problem. */
export function loadModelFromData(data: Record<string, string> | undefined): { model: LoadModel; problems: LoadProblem[] } {
  const text = data?.[LOAD_KEY]
  if (text === undefined) return { model: emptyLoadModel(), problems: [] }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const problems: LoadProblem[] = []
  const model = emptyLoadModel()
  if (!isPlainObject(parsed)) return { model, problems: [{ field: LOAD_KEY, message: 'expected {"deployments": {...}, "pods": {...}}' }] }
  const read = (section: 'deployments' | 'pods', fields: readonly string[]): void => {
    const entries = parsed[section]
    if (entries === undefined) return
    if (!isPlainObject(entries)) {
      problems.push({ field: section, message: 'expected an object keyed by namespace/name' })
      return
    }
    for (const [key, value] of Object.entries(entries)) {
      if (!isPlainObject(value)) {
        problems.push({ field: `${section}[${key}]`, message: 'expected an object' })
        continue
      }
      const out: Record<string, string> = {}
      for (const f of fields) {
        if (value[f] === undefined) continue
        const p = checkQuantity(`${section}[${key}].${f}`, value[f])
        if (p) problems.push(p)
        else out[f] = value[f] as string
      }
      if (Object.keys(out).length) (model[section] as Record<string, Record<string, string>>)[key] = out
    }
  }
  read('deployments', DEPLOYMENT_FIELDS)
  read('pods', POD_FIELDS)
  return { model, problems }
}

/** The ConfigMap value for a model (keys sorted, for stable diffs). */
export function loadModelToData(model: LoadModel): string {
  const sorted = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]))
  return JSON.stringify({ deployments: sorted(model.deployments), pods: sorted(model.pods) }, null, 2) + '\n'
}

/**
 * Sets a load (`capstan sim load deployment/web --cpu 650m`): the given fields replace the stored
 * ones, a per-pod value clears the total of the same resource and the other way round, and the
 * other resource keeps its value. A pod takes only `cpu` and `memory`. Nothing changes on a problem.
 */
export function setLoad(model: LoadModel, target: LoadTarget, change: LoadChange): { model: LoadModel; problems: LoadProblem[] } {
  const allowed: readonly string[] = target.kind === 'pod' ? POD_FIELDS : DEPLOYMENT_FIELDS
  const problems: LoadProblem[] = []
  const given = Object.entries(change).filter(([, v]) => v !== undefined) as Array<[keyof DeploymentLoad, string]>
  if (!given.length) problems.push({ field: 'load', message: 'nothing to set: give --cpu, --memory' + (target.kind === 'deployment' ? ', --total-cpu or --total-memory' : '') })
  for (const [field, value] of given) {
    if (!allowed.includes(field)) problems.push({ field, message: `a pod's load is per pod: use --cpu or --memory` })
    else {
      const p = checkQuantity(field, value)
      if (p) problems.push(p)
    }
  }
  for (const [a, b] of [['cpu', 'totalCpu'], ['memory', 'totalMemory']] as const) {
    if (change[a] !== undefined && change[b] !== undefined) problems.push({ field: b, message: `cannot set both ${a} and ${b}` })
  }
  if (problems.length) return { model, problems }
  const key = loadKey(target.namespace, target.name)
  const section = target.kind === 'pod' ? 'pods' : 'deployments'
  const next: DeploymentLoad = { ...(model[section][key] ?? {}) }
  for (const [field, value] of given) {
    next[field] = value
    if (EXCLUSIVE[field]) delete next[EXCLUSIVE[field]]
  }
  return { model: { ...model, [section]: { ...model[section], [key]: next } }, problems }
}

/** Removes the load of one target, or every load when no target is given. */
export function clearLoad(model: LoadModel, target?: LoadTarget): LoadModel {
  if (!target) return emptyLoadModel()
  const section = target.kind === 'pod' ? 'pods' : 'deployments'
  const rest = { ...model[section] }
  delete rest[loadKey(target.namespace, target.name)]
  return { ...model, [section]: rest }
}
