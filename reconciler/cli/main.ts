#!/usr/bin/env node
/** The `capstan` command: dispatches to one module per command, loaded only when it runs. */
import { runCli } from './run.js'

// A reader that went away (`capstan status | head -1`): the rest of the output goes nowhere, and the
// command finishes its work (no stack trace, nothing left half done).
let readerGone = false
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err
  readerGone = true
})

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (s) => {
    if (!readerGone) process.stdout.write(s)
  },
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  stdin: () => readStdin(),
  isTTY: !!process.stdout.isTTY,
})

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
