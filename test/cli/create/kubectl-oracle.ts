/** Run the real kubectl (when installed) as the oracle for the create builders. */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const candidates = ['/usr/bin/kubectl', '/usr/local/bin/kubectl']

/** The kubectl binary, or undefined when none is installed (the comparisons are then skipped). */
export const kubectlPath = candidates.find((p) => existsSync(p))

/** kubectl's answer: exit status and output. */
export interface KubectlResult {
  status: number
  stdout: string
  stderr: string
}

/** `kubectl create ARGS --dry-run=client -o json`, offline, with no kubeconfig of the user's. */
export function kubectlCreate(args: string[], env: Record<string, string> = {}): KubectlResult {
  if (!kubectlPath) throw new Error('kubectl is not installed')
  const r = spawnSync(kubectlPath, ['create', ...args, '--dry-run=client', '-o', 'json'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', KUBECONFIG: '/nonexistent/kubeconfig', ...env },
  })
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** JSON as `kubectl -o json` prints it: 4-space indent, Go's HTML-safe escapes, a final newline. */
export function kubectlJsonText(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n'
}
