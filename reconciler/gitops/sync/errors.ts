/** A sync step that failed: the reason names the step, `problems` lists every invalid input. */
import type { SourceProblem } from '../desired.js'
import type { SyncReason } from '../record/types.js'

/** Why a sync stopped, as data: the step's PascalCase reason and every problem found. */
export class SyncFailure extends Error {
  override readonly name = 'SyncFailure'
  constructor(
    readonly reason: Exclude<SyncReason, 'Synced' | 'Applied' | 'Planned'>,
    message: string,
    readonly problems: SourceProblem[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Whether `err` is a SyncFailure (with the given reason, when one is given). */
export function isSyncFailure(err: unknown, reason?: SyncFailure['reason']): err is SyncFailure {
  return err instanceof SyncFailure && (reason === undefined || err.reason === reason)
}
