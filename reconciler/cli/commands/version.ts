/** `capstan version`: capstan's version and the Kubernetes API version it follows. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../../paths.js'
import { flag } from '../args.js'
import { commandContext } from '../context.js'
import type { Command } from '../run.js'

/** The Kubernetes version whose API capstan serves. */
export const KUBERNETES_VERSION = 'v1.32.0'

export const versionCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, [{ name: 'output', short: 'o' }], io)
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }
    const info = { capstanVersion: `v${pkg.version}`, kubernetesVersion: KUBERNETES_VERSION, nodeVersion: process.version }
    const out = flag(ctx.args, 'output')
    if (out === 'json') io.stdout(JSON.stringify(info, null, 2) + '\n')
    else if (out === 'yaml') io.stdout(Object.entries(info).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n')
    else io.stdout(`capstan ${info.capstanVersion} (Kubernetes API ${KUBERNETES_VERSION}, Node.js ${process.version})\n`)
    return 0
  },
}
