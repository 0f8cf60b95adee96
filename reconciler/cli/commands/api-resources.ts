/** `capstan api-resources`: the kinds served, in kubectl's columns. */
import { KINDS, apiVersionOf } from '../../api/kinds.js'
import { tabwrite } from '../print/tabwriter.js'
import { commandContext } from '../context.js'
import type { Command } from '../run.js'

export const apiResourcesCommand: Command = {
  async run(argv, io) {
    commandContext(argv, [], io)
    const rows = [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']]
    const sorted = [...KINDS].sort((a, b) => a.group.localeCompare(b.group) || a.plural.localeCompare(b.plural))
    for (const k of sorted) rows.push([k.plural, k.shortNames.join(','), apiVersionOf(k), String(k.namespaced), k.kind])
    io.stdout(tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n'))
    return 0
  },
}
