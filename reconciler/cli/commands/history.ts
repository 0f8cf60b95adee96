/** `capstan history [-o json|yaml]`: every sync, oldest first — SEQ, COMMIT, SUBJECT, TIME, RESULT, CHANGES. */
import { listSyncRecords, recordCounts, recordSeq, type SyncRecordObject } from '../../gitops/record/index.js'
import { flag, UsageError } from '../args.js'
import { commandContext } from '../context.js'
import { printObjects } from '../print/output.js'
import { tabwrite } from '../print/tabwriter.js'
import type { KubeObject } from '../print/index.js'
import type { Command } from '../run.js'

const FLAGS = [{ name: 'output', short: 'o' }]

/** `+3 ~1 -0`: created, updated, pruned. */
export function changesColumn(rec: SyncRecordObject): string {
  const c = recordCounts(rec)
  return `+${c.create} ~${c.update} -${c.prune}`
}

/** The history table, kubectl-style (three spaces between columns). */
export function historyTable(records: readonly SyncRecordObject[]): string {
  const clean = (s: string) => s.replace(/[\t\n]/g, ' ')
  const rows = ['SEQ\tCOMMIT\tSUBJECT\tTIME\tRESULT\tCHANGES']
  for (const r of records) {
    const subject = clean(r.spec.subject ?? '')
    rows.push([String(recordSeq(r.metadata.name) || r.metadata.name), (r.spec.commit ?? '').slice(0, 7), subject.length > 50 ? `${subject.slice(0, 49)}…` : subject, r.spec.time ?? '', r.spec.result, changesColumn(r)].join('\t'))
  }
  return tabwrite(rows.join('\n') + '\n')
}

export const historyCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(' ')}`)
    const output = flag(ctx.args, 'output')
    if (output && output !== 'json' && output !== 'yaml') throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`)
    try {
      const records = await listSyncRecords(await ctx.client())
      if (output) {
        io.stdout(printObjects(records as unknown as KubeObject[], { output, now: (await ctx.clock()).now(), singleItem: false }))
        return 0
      }
      if (!records.length) {
        io.stdout('No syncs yet.\n')
        return 0
      }
      io.stdout(historyTable(records))
      return 0
    } finally {
      await ctx.close()
    }
  },
}
