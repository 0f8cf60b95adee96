/**
 * The NodePool controller: keeps a pool's Nodes in line with its spec. Each pass creates the
 * missing nodes, brings the existing ones' labels, taints and capacity up to date, drains the
 * nodes the pool no longer wants (one step per pass, requeued while pods terminate), and writes
 * the pool's status. Nodes carry `capstan.dev/nodepool: <pool>` and an owner reference to the pool.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import { clone, jsonEqual, type KObject } from '../../api/object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { drainNode } from './drain.js'
import { wantedNodes, type NodePoolSpec } from './layout.js'
import { NODEPOOL_LABEL, nodeLabels, nodeResources, poolNode } from './node-object.js'
import { poolStatus } from './status.js'

/** The field manager of the pool's node writes (the cloud's node controller). */
export const NODEPOOL_FIELD_MANAGER = 'capstan-nodepool-controller'

/** How often a draining pool looks again at pods still terminating. */
export const DRAIN_RECHECK_MS = 5_000

/** Creates the NodePool controller. */
export function createNodePoolController(ctx: ControllerContext): Controller {
  return {
    name: 'nodepool-controller',
    resource: 'nodepools',
    watches: [
      {
        resource: 'nodes',
        map: (n) => {
          const pool = n.metadata.labels?.[NODEPOOL_LABEL]
          return pool ? [{ resource: 'nodepools', name: pool }] : []
        },
      },
    ],
    async reconcile(req: Request): Promise<Result> {
      let pool: KObject
      try {
        pool = await ctx.api.get('nodepools', undefined, req.name)
      } catch (err) {
        if (isNotFound(err)) return {}
        throw err
      }
      if (pool.metadata.deletionTimestamp) return {}
      const spec = pool.spec as unknown as NodePoolSpec
      const name = pool.metadata.name!
      const { items } = await ctx.api.list('nodes', { labelSelector: `${NODEPOOL_LABEL}=${name}` })
      const owned = items.filter((n) => (n.metadata.ownerReferences ?? []).some((r) => r.uid === pool.metadata.uid))
      const byName = new Map(owned.map((n) => [n.metadata.name!, n]))
      const wanted = wantedNodes(name, spec)
      const now = ctx.clock.now()

      // Create the missing nodes and bring the others up to date.
      for (const w of wanted) {
        const existing = byName.get(w.name)
        if (!existing) {
          try {
            await ctx.api.create(poolNode(pool, spec, w, now), { fieldManager: NODEPOOL_FIELD_MANAGER })
          } catch (err) {
            if (!isAlreadyExists(err)) throw err
          }
          continue
        }
        await updateNode(existing, nodeLabels(name, spec, w), spec)
      }

      // Drain the nodes the pool no longer wants.
      const keep = new Set(wanted.map((w) => w.name))
      let draining = false
      for (const node of owned) {
        if (keep.has(node.metadata.name!)) continue
        if (!(await drainNode(ctx.api, node, NODEPOOL_FIELD_MANAGER))) draining = true
      }

      // Status from the nodes as they are now.
      const { items: after } = await ctx.api.list('nodes', { labelSelector: `${NODEPOOL_LABEL}=${name}` })
      const status = poolStatus(pool, spec, after.filter((n) => !n.metadata.deletionTimestamp), now)
      const old = (pool.status ?? {}) as Record<string, unknown>
      const stripTimes = (s: Record<string, unknown>): unknown => ({ ...s, conditions: ((s.conditions as Array<Record<string, unknown>>) ?? []).map((c) => ({ ...c, lastTransitionTime: undefined })) })
      if (!jsonEqual(stripTimes(old), stripTimes(status))) {
        await ctx.api.updateStatus({ ...clone(pool), status }, { fieldManager: NODEPOOL_FIELD_MANAGER })
      }
      return draining ? { requeueAfterMs: DRAIN_RECHECK_MS } : {}
    },
  }

  /** Labels and taints from the pool on the node; capacity from the machine type. */
  async function updateNode(node: KObject, labels: Record<string, string>, spec: NodePoolSpec): Promise<void> {
    const next = clone(node)
    next.metadata.labels = { ...(node.metadata.labels ?? {}), ...labels }
    const nspec = (next.spec ??= {}) as { taints?: Array<{ key: string; value?: string; effect: string }> }
    const taints = nspec.taints ?? []
    for (const t of spec.taints ?? []) {
      if (!taints.some((x) => x.key === t.key && x.effect === t.effect && (x.value ?? '') === (t.value ?? ''))) {
        const others = taints.filter((x) => !(x.key === t.key && x.effect === t.effect))
        taints.splice(0, taints.length, ...others, { ...t })
      }
    }
    if (taints.length) nspec.taints = taints
    if (!jsonEqual(next.metadata.labels, node.metadata.labels) || !jsonEqual(next.spec, node.spec)) {
      await ctx.api.update(next, { fieldManager: NODEPOOL_FIELD_MANAGER })
    }
    const resources = nodeResources(spec)
    const st = (node.status ?? {}) as { capacity?: Record<string, string> }
    if (!jsonEqual(st.capacity, resources)) {
      const fresh = clone(await ctx.api.get('nodes', undefined, node.metadata.name!))
      fresh.status = { ...(fresh.status ?? {}), capacity: resources, allocatable: { ...resources } }
      await ctx.api.updateStatus(fresh, { fieldManager: NODEPOOL_FIELD_MANAGER })
    }
  }
}
