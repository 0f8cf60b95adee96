/**
 * `capstan apply -f FILE|DIR|-`: applies manifests, client-side (kubectl's default) or server-side.
 * Every object is applied in a staging area first; only when all of them succeed are the changes
 * written, in one transaction. Bad input changes nothing and exits 2 with every problem, each
 * named by file, line, document and field.
 */
import { ApiServer } from '../../api/api-server.js'
import type { ApiClient } from '../../api/client.js'
import { clientSideApply, type ApplyOutcome } from '../../api/client-side-apply.js'
import { isApiError } from '../../api/errors.js'
import { resolveResource } from '../../api/kinds.js'
import type { KObject } from '../../api/object.js'
import { readManifestPaths, formatManifestError, type ManifestObject } from '../../source/render/index.js'
import { StagedStorage } from '../../storage/staged.js'
import { flag, flagAll, flagBool, UsageError } from '../args.js'
import { withCluster } from '../cluster.js'
import { commandContext } from '../context.js'
import { describeProblem, type Problem } from '../manifest-problems.js'
import { objectNameLine } from '../print/name.js'
import { printObjects } from '../print/output.js'
import { remoteApply } from '../remote-apply.js'
import type { Command } from '../run.js'

const FLAGS = [
  { name: 'filename', short: 'f' },
  { name: 'recursive', short: 'R', boolean: true },
  { name: 'server-side', boolean: true },
  { name: 'field-manager' },
  { name: 'force-conflicts', boolean: true },
  { name: 'dry-run', noValueDefault: 'client' },
  { name: 'output', short: 'o' },
  { name: 'validate', noValueDefault: 'strict' },
]

/** Kinds first that others live in or refer to, as kubectl and capstan's sync order them. */
const ORDER = ['Namespace', 'NodePool', 'Node', 'ConfigMap', 'Secret', 'Service', 'Endpoints', 'Deployment', 'ReplicaSet', 'Pod', 'HorizontalPodAutoscaler', 'Ingress']
const rank = (kind: string): number => {
  const i = ORDER.indexOf(kind)
  return i < 0 ? ORDER.length : i
}

export const applyCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const files = flagAll(ctx.args, 'filename')
    if (!files.length) throw new UsageError('must specify one of -f and -k')
    if (ctx.args.positionals.length) throw new UsageError(`Unexpected args: [${ctx.args.positionals.join(' ')}]`)
    const dryRun = flag(ctx.args, 'dry-run') ?? 'none'
    if (!['none', 'client', 'server'].includes(dryRun)) {
      throw new UsageError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`)
    }
    const validateMode = flag(ctx.args, 'validate') ?? 'strict'
    const fieldValidation = validateMode === 'false' || validateMode === 'ignore' ? 'Ignore' : validateMode === 'warn' ? 'Warn' : 'Strict'
    const serverSide = flagBool(ctx.args, 'server-side')
    const manager = flag(ctx.args, 'field-manager') ?? (serverSide ? 'capstan-apply' : 'kubectl-client-side-apply')
    const force = flagBool(ctx.args, 'force-conflicts')
    if (force && !serverSide) throw new UsageError('--force-conflicts only works with --server-side')

    // Read: every file, every document; problems are collected, not thrown.
    const read = await readManifestPaths(files, { recursive: flagBool(ctx.args, 'recursive'), stdin: io.stdin })
    const problems: Problem[] = read.errors.map((e) => ({ text: formatManifestError(e) }))
    const manifests = checkManifests(read.objects, ctx.namespace, ctx.namespaceGiven, problems)
    if (problems.length) return fail(problems, io)

    const client = await ctx.client()
    try {
      if (!(client instanceof ApiServer)) {
        // A running server: a server-side dry run of everything, then the writes (remote-apply.ts).
        const r = await remoteApply(client, manifests, { serverSide, fieldManager: manager, force, fieldValidation, dryRun: dryRun as 'none' | 'client' | 'server' })
        for (const w of r.warnings) io.stderr(`Warning: ${w}\n`)
        if (r.problems.length) {
          for (const p of r.problems) io.stderr(`error: ${p.text}\n`)
          io.stderr(r.wrote ? `error: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} found; the objects before it were applied\n` : `error: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} found; nothing was applied\n`)
          return 2
        }
        const output = flag(ctx.args, 'output')
        if (output && output !== 'name') io.stdout(printObjects(r.results.map((x) => x.object), { output, now: new Date() }))
        else {
          const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
          for (const x of r.results) io.stdout(objectNameLine(x.object, output === 'name' ? undefined : appliedWord(serverSide, x.outcome) + suffix))
        }
        return 0
      }
      // Stage: apply every object to a staging area over the state.
      const staged = new StagedStorage(client.storage)
      const clock = await ctx.clock()
      const stage = new ApiServer({ storage: staged, now: () => clock.now() })
      const warnings: string[] = []
      const results: Array<{ m: ManifestObject; object: KObject; outcome: ApplyOutcome }> = []
      for (const m of manifests) {
        const config = m.object as KObject
        try {
          if (serverSide) {
            const existed = await exists(stage, config)
            const object = await stage.apply(config, { fieldManager: manager, force, fieldValidation, warnings })
            const outcome: ApplyOutcome = !existed ? 'created' : object.metadata.resourceVersion === existed ? 'unchanged' : 'configured'
            results.push({ m, object, outcome })
          } else {
            const r = await clientSideApply(stage, config, { fieldManager: manager, fieldValidation, warnings })
            results.push({ m, object: r.object, outcome: r.outcome })
          }
        } catch (err) {
          if (!isApiError(err)) throw err
          problems.push(...describeProblem(m, err))
        }
      }
      for (const w of new Set(warnings)) io.stderr(`Warning: ${w}\n`)
      if (problems.length) return fail(problems, io)

      // Commit: all staged changes in one transaction, unless this is a dry run.
      if (dryRun === 'none') {
        const res = await staged.commit()
        if (!res.succeeded) {
          io.stderr('error: the state changed while applying (another writer); nothing was applied, try again\n')
          return 2
        }
        // The controllers act on what was applied (rollouts start, pods are made) until no work is due.
        await withCluster(ctx)
      }
      const output = flag(ctx.args, 'output')
      if (output && output !== 'name') {
        io.stdout(printObjects(results.map((r) => r.object), { output, now: (await ctx.clock()).now() }))
      } else {
        const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
        for (const r of results) io.stdout(objectNameLine(r.object, output === 'name' ? undefined : appliedWord(serverSide, r.outcome) + suffix))
      }
      return 0
    } finally {
      await ctx.close()
    }
  },
}

/** What kubectl apply prints for an object: `serverside-applied` for every server-side apply, else created / configured / unchanged. */
function appliedWord(serverSide: boolean, outcome: ApplyOutcome): string {
  return serverSide ? 'serverside-applied' : outcome
}

/** The existing object's resourceVersion, or undefined. */
async function exists(api: ApiClient, obj: KObject): Promise<string | undefined> {
  try {
    return (await api.get(obj.kind, obj.metadata?.namespace, obj.metadata?.name ?? '')).metadata.resourceVersion
  } catch {
    return undefined
  }
}

/**
 * Checks what can be checked before the API sees anything: the kind is served, the namespace agrees
 * with -n, and no object appears twice. Sets the namespace of namespaced objects; sorts by kind order.
 */
function checkManifests(objects: ManifestObject[], namespace: string, namespaceGiven: boolean, problems: Problem[]): ManifestObject[] {
  const seen = new Map<string, ManifestObject>()
  const out: ManifestObject[] = []
  for (const m of objects) {
    const o = m.object as KObject
    const where = `${m.file}:${m.line}: document ${m.doc}`
    const k = resolveResource(o.kind)
    if (!k || k.kind !== o.kind) {
      problems.push({ text: `${where}: kind: no matches for kind "${o.kind}" in version "${o.apiVersion}"` })
      continue
    }
    o.metadata ??= {}
    const name = o.metadata.name
    if (!name && !o.metadata.generateName) {
      problems.push({ text: `${where}: metadata.name: Required value: name or generateName is required` })
      continue
    }
    if (k.namespaced) {
      const ns = o.metadata.namespace
      if (ns && namespaceGiven && ns !== namespace) {
        problems.push({
          text: `${where}: metadata.namespace: the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`,
        })
        continue
      }
      o.metadata.namespace = ns || namespace
    }
    const id = `${k.group}/${k.kind}/${o.metadata.namespace ?? ''}/${name}`
    const first = seen.get(id)
    if (first && name) {
      problems.push({
        text: `${where}: ${k.kind} "${name}" appears twice: first at ${first.file}:${first.line} (document ${first.doc})`,
      })
      continue
    }
    seen.set(id, m)
    out.push(m)
  }
  return out.sort((a, b) => rank((a.object as KObject).kind) - rank((b.object as KObject).kind))
}

function fail(problems: Problem[], io: { stderr(s: string): void }): number {
  for (const p of problems) io.stderr(`error: ${p.text}\n`)
  io.stderr(`error: ${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was applied\n`)
  return 2
}
