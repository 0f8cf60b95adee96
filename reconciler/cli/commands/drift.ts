/**
 * `capstan drift [--repo PATH] [--ref REF] [--path DIR] [-o text|json] [--heal]`: live against git
 * at the last synced commit (or --ref). Each finding classed Modified, Missing, Extra or Tolerated;
 * the report is kept in the state. `--heal` syncs the commit again (trigger drift). Exit 0: no
 * drift (or healed); 1: drift; 2: invalid input.
 * `capstan drift history [-o json]`: the kept reports — TIME, COMMIT, FINDINGS, HEALED.
 */
import { ApiServer } from '../../api/api-server.js'
import { DriftInvalid, healable, healDrift, listDriftReports, saveDriftReport, scanDrift, updateDriftReport, type DriftFinding, type DriftReport } from '../../gitops/drift/index.js'
import { displayName } from '../../gitops/identity.js'
import { outcomeView } from '../../gitops/report/index.js'
import type { RemoteDriftAnswer } from '../../daemon/routes.js'
import { flag, flagBool, UsageError } from '../args.js'
import { handleOf } from '../../gitops/sync/virtual-cluster.js'
import { withCluster } from '../cluster.js'
import { commandContext, type Context } from '../context.js'
import { daemonRequest } from '../daemon-client.js'
import { reportProblems } from '../report-error.js'
import type { CliIO } from '../io.js'
import { tabwrite } from '../print/tabwriter.js'
import type { Command } from '../run.js'
import { printOutcome, repoCacheDir } from './sync.js'

const FLAGS = [{ name: 'repo' }, { name: 'ref' }, { name: 'path' }, { name: 'output', short: 'o' }, { name: 'heal', boolean: true }]

const cellValue = (v: unknown) => (v === undefined ? '<none>' : typeof v === 'string' ? v : JSON.stringify(v)).replace(/\t/g, ' ')

/** The findings table: CLASS, OBJECT, NAMESPACE, FIELD, GIT, LIVE, MANAGER. */
export function findingsTable(findings: readonly DriftFinding[]): string {
  const rows = ['CLASS\tOBJECT\tNAMESPACE\tFIELD\tGIT\tLIVE\tMANAGER']
  for (const f of findings) {
    const cut = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s)
    rows.push([f.class, displayName(f.id), f.id.namespace || '', f.field ?? '', f.class === 'Modified' || f.class === 'Tolerated' ? cut(cellValue(f.git)) : '', f.class === 'Modified' || f.class === 'Tolerated' ? cut(cellValue(f.live)) : '', f.manager ?? ''].join('\t'))
  }
  return tabwrite(rows.join('\n') + '\n')
}

/** The history table: TIME, COMMIT, FINDINGS, HEALED. */
export function driftHistoryTable(reports: ReadonlyArray<{ report: DriftReport }>): string {
  const rows = ['TIME\tCOMMIT\tFINDINGS\tHEALED']
  for (const { report: r } of reports) {
    const tolerated = r.findings.length - r.drifted
    rows.push([r.time, r.commit.slice(0, 7), `${r.drifted}${tolerated ? ` (+${tolerated} tolerated)` : ''}`, r.healedBy ?? (r.drifted ? 'no' : '-')].join('\t'))
  }
  return tabwrite(rows.join('\n') + '\n')
}

async function history(argv: string[], io: CliIO): Promise<number> {
  const ctx = commandContext(argv, [{ name: 'output', short: 'o' }], io)
  const output = flag(ctx.args, 'output')
  if (output && output !== 'json') throw new UsageError(`unknown output format "${output}": json`)
  try {
    const reports = ctx.server ? (await daemonRequest<{ items: DriftReport[] }>(ctx, 'GET', '/capstan/drift')).items.map((report) => ({ report })) : await embeddedReports(ctx)
    if (output === 'json') io.stdout(JSON.stringify(reports.map((r) => r.report), null, 2) + '\n')
    else io.stdout(reports.length ? driftHistoryTable(reports) : 'No drift scans yet.\n')
    return 0
  } finally {
    await ctx.close()
  }
}

async function embeddedReports(ctx: Context): Promise<Array<{ report: DriftReport }>> {
  const api = await ctx.client()
  if (!(api instanceof ApiServer)) throw new UsageError('drift history needs the embedded state (--state)')
  return listDriftReports(api.storage)
}

/** Prints a drift report (text or json). */
function printReport(report: DriftReport, output: string, io: CliIO): void {
  if (output === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n')
  else {
    io.stdout(report.drifted ? `Drift from ${report.commit.slice(0, 7)}: ${report.drifted} finding(s)\n` : `No drift from ${report.commit.slice(0, 7)}\n`)
    if (report.findings.length) io.stdout(findingsTable(report.findings))
  }
}

/**
 * `capstan drift --server URL [--heal]`: the running `capstan serve` scans its live state against
 * the commit it synced (in its sync lane, so never during a sync), keeps the report, and heals it
 * when asked; the same output and exit codes as the embedded command.
 */
async function remoteDrift(ctx: Context, io: CliIO, output: string, heal: boolean): Promise<number> {
  for (const name of ['repo', 'ref', 'path']) {
    if (ctx.args.flags.has(name)) throw new UsageError(`--${name} cannot be used with --server: ${ctx.server} scans against the commit it synced`)
  }
  const answer = await daemonRequest<RemoteDriftAnswer>(ctx, 'POST', '/capstan/drift', { heal })
  if (answer.invalid) return reportProblems(answer.invalid.message, answer.invalid.problems, io)
  if (!answer.report) throw new UsageError(`${ctx.server} returned no drift report`)
  printReport(answer.report, output, io)
  if (answer.kept && heal) io.stderr(`note: ${answer.kept.count} object(s) left git and are kept: ${answer.kept.why}\n`)
  if (!answer.heal) return answer.report.drifted ? 1 : 0
  const code = printOutcome(answer.heal, output === 'json' ? { ...io, stdout: () => {} } : io, false)
  // As the embedded command: what a heal keeps is still drift.
  return code !== 0 ? code : answer.kept ? 1 : 0
}

export const driftCommand: Command = {
  async run(argv, io) {
    if (argv[0] === 'history') return history(argv.slice(1), io)
    const ctx = commandContext(argv, FLAGS, io)
    if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(' ')}`)
    const output = flag(ctx.args, 'output') ?? 'text'
    if (output !== 'text' && output !== 'json') throw new UsageError(`unknown output format "${output}": text or json`)
    const heal = flagBool(ctx.args, 'heal')
    if (ctx.server) return remoteDrift(ctx, io, output, heal)
    try {
      const api = await ctx.client()
      if (!(api instanceof ApiServer)) throw new UsageError('drift needs the embedded state (--state)')
      const clock = await ctx.clock()
      const cacheDir = repoCacheDir(ctx)
      let scan
      try {
        scan = await scanDrift({ api, repo: flag(ctx.args, 'repo'), ref: flag(ctx.args, 'ref'), path: flag(ctx.args, 'path'), namespace: ctx.namespace, cacheDir, now: () => clock.now() })
      } catch (err) {
        if (!(err instanceof DriftInvalid)) throw err
        return reportProblems(err.message, err.problems, io)
      }
      const { report } = scan
      const key = await saveDriftReport(api.storage, report)
      printReport(report, output, io)
      const fixable = healable(scan).length
      // What a heal keeps (objects that left git, the last sync without --prune) is still drift: exit 1.
      const kept = report.drifted - fixable
      if (kept && heal) io.stderr(`note: ${kept} object(s) left git and are kept: ${scan.keeps ?? 'a heal does not delete them'}\n`)
      if (!heal || !fixable) return report.drifted ? 1 : 0
      const outcome = await healDrift({
        api,
        scan,
        namespace: ctx.namespace,
        cacheDir,
        now: () => clock.now(),
        runCluster: (fn) => withCluster(ctx, ({ manager, clock: c }) => fn(handleOf(manager, c))),
      })
      if (outcome.record) await updateDriftReport(api.storage, key, { ...report, healedBy: outcome.record.metadata.name })
      const code = printOutcome(outcomeView(outcome), output === 'json' ? { ...io, stdout: () => {} } : io, false)
      // Healed: live matches git again, but for what a heal keeps.
      return code !== 0 ? code : kept ? 1 : 0
    } finally {
      await ctx.close()
    }
  },
}
