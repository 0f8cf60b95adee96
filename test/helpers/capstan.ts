/** Runs the real `capstan` command (the compiled bin, as a user runs it) against a temporary state. */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../../reconciler/paths.js'

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

let built = false

/** The compiled bin; built once if missing (npm test builds it before the suites run). */
export function capstanBin(): string {
  const bin = join(projectRoot(), 'dist', 'reconciler', 'cli', 'main.js')
  if (!built && !existsSync(bin)) {
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: projectRoot(), stdio: 'inherit' })
    if (r.status !== 0) throw new Error('building dist/ failed')
  }
  built = true
  return bin
}

/** Runs `capstan ARGS` with the given state (and optional stdin), returning code and output. */
export function capstan(state: string, args: string[], o: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [capstanBin(), ...args], {
      cwd: o.cwd ?? projectRoot(),
      env: { ...process.env, CAPSTAN_STATE: state, ...o.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(o.input ?? '')
  })
}
