/** `capstan serve` as its own process, for the signal test: the command module run as main.ts runs commands. */
import { serveCommand } from '../../reconciler/cli/commands/serve.js'
import { reportError } from '../../reconciler/cli/report-error.js'
import type { CliIO } from '../../reconciler/cli/io.js'

const io: CliIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  stdin: async () => '',
  isTTY: false,
}
try {
  process.exitCode = await serveCommand.run(process.argv.slice(2), io)
} catch (err) {
  reportError(err, io)
  process.exitCode = 2
}
