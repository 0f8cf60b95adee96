/**
 * `apply -f` over any ApiClient (a running `capstan serve` through `--server`): there is no staging
 * area on the other side of HTTP, so every object is first sent as a server-side dry run; only
 * when all of them pass are the writes made. Problems are named by file, line, document and field,
 * as the embedded apply names them. Objects in a namespace the same files create are checked once
 * that namespace exists (a dry run cannot see a namespace another dry run made).
 */
import type { ApiClient } from '../api/client.js'
import { clientSideApply, type ApplyOutcome } from '../api/client-side-apply.js'
import { isApiError, isNotFound, type ApiError } from '../api/errors.js'
import type { KObject } from '../api/object.js'
import type { FieldValidation } from '../api/validate.js'
import type { ManifestObject } from '../source/render/index.js'
import { describeProblem, type Problem } from './manifest-problems.js'

/** How to apply: the flags of `capstan apply`. */
export interface RemoteApplyOptions {
  serverSide: boolean
  fieldManager: string
  force?: boolean
  fieldValidation?: FieldValidation
  /** `server` and `client` stop after the dry runs (client-side dry runs are server dry runs here too). */
  dryRun?: 'none' | 'client' | 'server'
}

/** One applied (or dry-run) object and what happened to it. */
export interface RemoteApplyItem {
  m: ManifestObject
  object: KObject
  outcome: ApplyOutcome
}

/** The outcome: results in manifest order, problems (nothing or only namespaces written when any), warnings. */
export interface RemoteApplyResult {
  results: RemoteApplyItem[]
  problems: Problem[]
  warnings: string[]
  /** Whether anything was written (false after a dry run, or when the dry runs found problems). */
  wrote: boolean
}

/**
 * Applies checked manifests (kinds served, namespaces set, sorted Namespaces first) through `client`:
 * dry run of everything, then the writes.
 */
export async function remoteApply(client: ApiClient, manifests: ManifestObject[], o: RemoteApplyOptions): Promise<RemoteApplyResult> {
  const warnings: string[] = []
  const problems: Problem[] = []
  const applyOne = (m: ManifestObject, dryRun: boolean): Promise<RemoteApplyItem> => applyObject(client, m, o, { dryRun, warnings })
  const createdNamespaces = new Set(manifests.filter((m) => m.object.kind === 'Namespace').map((m) => (m.object as KObject).metadata?.name))

  // Dry run: every object, as the server would take it now.
  const dry = new Map<ManifestObject, RemoteApplyItem>()
  const deferred: ManifestObject[] = []
  for (const m of manifests) {
    try {
      dry.set(m, await applyOne(m, true))
    } catch (err) {
      if (!isApiError(err)) throw err
      if (waitsForNamespace(err, m, createdNamespaces)) deferred.push(m)
      else problems.push(...describeProblem(m, err))
    }
  }
  const done = (wrote: boolean, results: RemoteApplyItem[]): RemoteApplyResult => ({ results, problems, warnings: [...new Set(warnings)], wrote })
  if (problems.length) return done(false, [])
  if ((o.dryRun ?? 'none') !== 'none') {
    // Objects whose namespace this apply would create cannot be dry-run yet: shown as kubectl shows them, unchecked.
    return done(false, manifests.map((m) => dry.get(m) ?? { m, object: m.object as KObject, outcome: 'created' }))
  }

  // Write: namespaces first, then check what waited for them, then everything else.
  const written = new Map<ManifestObject, RemoteApplyItem>()
  const write = async (list: ManifestObject[]): Promise<void> => {
    for (const m of list) {
      try {
        written.set(m, await applyOne(m, false))
      } catch (err) {
        if (!isApiError(err)) throw err
        problems.push(...describeProblem(m, err))
      }
    }
  }
  const namespaces = manifests.filter((m) => m.object.kind === 'Namespace')
  await write(namespaces)
  if (problems.length) return done(written.size > 0, [...written.values()])
  for (const m of deferred) {
    try {
      await applyOne(m, true)
    } catch (err) {
      if (!isApiError(err)) throw err
      problems.push(...describeProblem(m, err))
    }
  }
  if (problems.length) return done(written.size > 0, [...written.values()])
  await write(manifests.filter((m) => m.object.kind !== 'Namespace'))
  return done(true, manifests.filter((m) => written.has(m)).map((m) => written.get(m)!))
}

/** One object: server-side apply, or kubectl's client-side apply (a three-way merge, then create or update). */
async function applyObject(client: ApiClient, m: ManifestObject, o: RemoteApplyOptions, w: { dryRun: boolean; warnings: string[] }): Promise<RemoteApplyItem> {
  const config = structuredClone(m.object) as KObject
  const base = { fieldManager: o.fieldManager, fieldValidation: o.fieldValidation ?? 'Strict', dryRun: w.dryRun, warnings: w.warnings }
  if (!o.serverSide) {
    const r = await clientSideApply(client, config, base)
    return { m, object: r.object, outcome: r.outcome }
  }
  const before = await liveVersion(client, config)
  const object = await client.apply(config, { ...base, force: !!o.force })
  const outcome: ApplyOutcome = before === undefined ? 'created' : object.metadata.resourceVersion === before ? 'unchanged' : 'configured'
  return { m, object, outcome }
}

/** The live object's resourceVersion, or undefined when there is none. */
async function liveVersion(client: ApiClient, obj: KObject): Promise<string | undefined> {
  try {
    return (await client.get(obj.kind, obj.metadata?.namespace, obj.metadata?.name ?? '')).metadata.resourceVersion
  } catch (err) {
    if (isNotFound(err)) return undefined
    throw err
  }
}

/** A dry run refused only because the object's namespace does not exist yet, and this apply creates it. */
function waitsForNamespace(err: ApiError, m: ManifestObject, created: Set<string | undefined>): boolean {
  const ns = (m.object as KObject).metadata?.namespace
  return err.reason === 'NotFound' && err.statusDetails.kind === 'namespaces' && !!ns && err.statusDetails.name === ns && created.has(ns)
}
