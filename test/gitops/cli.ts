/**
 * Runs `capstan sync|history|status` as a user would: the real compiled bin once run.ts registers
 * the commands; until then, the same compiled command modules through a launcher that gives them
 * main.ts's CliIO.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../../reconciler/paths.js'
import { capstan, capstanBin, type RunResult } from '../helpers/capstan.js'

const MODULES: Record<string, [string, string]> = {
  sync: ['sync.js', 'syncCommand'],
  history: ['history.js', 'historyCommand'],
  status: ['status.js', 'statusCommand'],
}

function registered(name: string): boolean {
  const run = readFileSync(join(projectRoot(), 'dist', 'reconciler', 'cli', 'run.js'), 'utf8')
  return new RegExp(`\\b${name}: async`).test(run)
}

/** `capstan ARGS` against `state`, in `cwd` when given. */
export function capstanCli(state: string, args: string[], o: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  capstanBin()
  const mod = MODULES[args[0]]
  if (!mod || registered(args[0])) return capstan(state, args, o)
  const file = join(projectRoot(), 'dist', 'reconciler', 'cli', 'commands', mod[0])
  const script = `
const { ${mod[1]} } = await import(${JSON.stringify(file)});
const { reportError } = await import(${JSON.stringify(join(projectRoot(), 'dist', 'reconciler', 'cli', 'report-error.js'))});
const io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), env: process.env, stdin: async () => '', isTTY: !!process.stdout.isTTY };
try { process.exitCode = await ${mod[1]}.run(JSON.parse(process.argv[1]), io) } catch (err) { reportError(err, io); process.exitCode = 2 }
`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(args.slice(1))], {
      cwd: o.cwd ?? projectRoot(),
      env: { ...process.env, CAPSTAN_STATE: state, ...o.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end('')
  })
}
