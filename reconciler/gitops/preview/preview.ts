/**
 * A preview of merging head: offline, a throwaway in-memory state is brought to base (rollouts
 * settled on its virtual clock) and head is planned against it; against live, head is planned
 * against the given state. Nothing is written to the state planned against.
 *
 * Offline there are two ways to bring the throwaway state to base, with the same answers: the
 * reference (`full`) syncs every object of base; the default (`subset`, see subset-preview.ts) syncs
 * only the objects that differ between base and head and the context their summaries read, and
 * hands over to the reference whenever it cannot vouch for the same answer.
 */
import type { ApiServer } from '../../api/api-server.js'
import type { SourceProblem } from '../desired.js'
import { SyncFailure, isSyncFailure } from '../sync/errors.js'
import { planCommit } from '../sync/plan-commit.js'
import { runSync } from '../sync/sync.js'
import { assemblePreview } from './assemble.js'
import { subsetPreview } from './subset-preview.js'
import { throwawayState } from './throwaway.js'
import type { Preview } from './types.js'

/** Options of `previewDiff`. */
export interface PreviewOptions {
  repo: string
  /** Required offline; ignored against live. */
  base?: string
  head: string
  path?: string
  namespace?: string
  cacheDir: string
  /** Plan against this state instead of a throwaway one synced to base. */
  live?: { api: ApiServer; now: () => Date }
  /** Offline: `subset` (default) syncs only what differs and its context; `full` syncs all of base (the reference). */
  method?: 'subset' | 'full'
}

/** Invalid input: a ref that does not resolve, or manifests that do not parse or validate. */
export class PreviewInvalid extends Error {
  constructor(
    readonly side: 'base' | 'head',
    message: string,
    readonly problems: SourceProblem[],
  ) {
    super(message)
  }
}

/** What merging head would change, each object summarized. Throws PreviewInvalid on invalid input. */
export async function previewDiff(o: PreviewOptions): Promise<Preview> {
  if (!o.live && o.method !== 'full') {
    const fast = await subsetPreview(o)
    if (fast) return fast
  }
  return fullPreview(o)
}

/** The reference: base synced whole into a throwaway state (or the live state), head planned against it. */
export async function fullPreview(o: PreviewOptions): Promise<Preview> {
  const namespace = o.namespace ?? 'default'
  const throwaway = o.live ? undefined : await throwawayState()
  try {
    const api = o.live?.api ?? throwaway!.api
    const now = o.live?.now ?? (() => throwaway!.clock.now())
    let baseCommit: string | undefined
    if (throwaway) {
      // Base: synced into the throwaway state, every rollout settled.
      const out = await runSync({ api, source: { repo: o.repo, ref: o.base, path: o.path, cacheDir: o.cacheDir }, namespace, prune: true, allowEmpty: true, full: true, now, runCluster: throwaway.runCluster })
      if (out.result === 'Failed' && out.reason !== 'HealthCheckFailed') throw new PreviewInvalid('base', `base ${o.base ?? 'HEAD'}: ${out.message}`, out.problems)
      baseCommit = out.commit?.oid ?? out.record?.spec.commit
    }
    // Head: planned against that state.
    let planned
    try {
      planned = await planCommit({ api, source: { repo: o.repo, ref: o.head, path: o.path, cacheDir: o.cacheDir }, namespace, now })
    } catch (err) {
      if (isSyncFailure(err)) throw new PreviewInvalid('head', `head ${o.head}: ${err.message}`, (err as SyncFailure).problems)
      throw err
    }
    const { plan, src } = planned
    if (plan.problems.length) throw new PreviewInvalid('head', `head ${o.head}: ${plan.problems.length} problem(s)`, plan.problems)
    return await assemblePreview({ api, plan, head: src.commit.oid, base: baseCommit, against: o.live ? 'live' : 'base' })
  } finally {
    await throwaway?.close()
  }
}
