/** How errors reach the user: as kubectl words them, with file, document, line and field where known. */
import { isApiError } from '../api/errors.js'
import { UsageError } from './args.js'
import type { CliIO } from './io.js'

/** Prints an error the way kubectl does (`Error from server (NotFound): …`, `error: …`). */
export function reportError(err: unknown, io: CliIO): void {
  if (isApiError(err)) {
    io.stderr(`Error from server (${err.reason}): ${err.message}\n`)
    return
  }
  if (err instanceof UsageError) {
    io.stderr(`error: ${err.message}\n`)
    return
  }
  if (err instanceof Error) {
    io.stderr(`error: ${err.message}\n`)
    if (process.env.CAPSTAN_DEBUG) io.stderr(`${err.stack}\n`)
    return
  }
  io.stderr(`error: ${String(err)}\n`)
}

/** Prints each problem (file, line, field) and then why nothing could be done; returns exit code 2. */
export function reportProblems(message: string, problems: ReadonlyArray<{ text: string }>, io: CliIO): number {
  for (const p of problems) io.stderr(`error: ${p.text}\n`)
  io.stderr(`error: ${message}\n`)
  return 2
}
