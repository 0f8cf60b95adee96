/**
 * `capstan sim zone down|up ZONE`: a zone outage. Down: the kubelets of the zone's nodes stop
 * posting status — their conditions go Unknown (NodeStatusUnknown), the node lifecycle controller
 * taints them node.kubernetes.io/unreachable (NoSchedule, NoExecute) and marks their pods not
 * Ready, and after the pods' tolerationSeconds (300 s by default; `capstan sim advance 6m`) the taint
 * eviction controller deletes them so their ReplicaSets replace them in the healthy zones. Up: the
 * kubelets post Ready again and the taints go.
 */
import { nodeDown, nodeUp, zoneOf } from '../../controllers/nodelifecycle/sim-node-status.js'
import { UsageError } from '../args.js'
import { withCluster } from '../cluster.js'
import { commandContext } from '../context.js'
import type { Command } from '../run.js'

const USAGE = 'usage: capstan sim zone down|up ZONE'

export const simZoneCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, [], io)
    const [verb, zone, ...extra] = ctx.args.positionals
    try {
      if ((verb !== 'down' && verb !== 'up') || !zone || extra.length) throw new UsageError(USAGE)
      return await withCluster(ctx, async ({ api, clock }) => {
        const { items } = await api.list('nodes')
        const nodes = items.filter((n) => zoneOf(n) === zone)
        if (!nodes.length) {
          const zones = [...new Set(items.map(zoneOf).filter((z): z is string => !!z))].sort()
          io.stderr(`error: no nodes in zone "${zone}"${zones.length ? ` (zones: ${zones.join(', ')})` : ''}\n`)
          return 2
        }
        for (const node of nodes) {
          const next = verb === 'down' ? nodeDown(node, clock.now()) : nodeUp(node, clock.now())
          if (next) await api.updateStatus(next, { fieldManager: 'kubelet' })
          io.stdout(`node/${node.metadata.name} ${verb === 'down' ? 'NotReady (kubelet stopped posting node status)' : 'Ready'}${next ? '' : ' (unchanged)'}\n`)
        }
        return 0
      })
    } finally {
      await ctx.close()
    }
  },
}
