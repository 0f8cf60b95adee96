/** Why `rollout undo --repo` refused: a closed set of codes, each with its meaning. */

/** The reasons an undo through git stops before committing. */
export type UndoErrorCode =
  /** The revision asked for is not in the Deployment's history (or there is no earlier one). */
  | 'RevisionNotFound'
  /** The revision exists but no sync produced it (kubectl made it, or its records are gone). */
  | 'NoCommit'
  /** The commit or the current branch has no document for the Deployment. */
  | 'DocumentNotFound'
  /** The file does not parse as YAML, so it cannot be edited in place. */
  | 'UnparsableFile'
  /** The Deployment was rendered by kustomize from a directory: there is no one document to restore. */
  | 'RenderedByKustomize'

/** An undo that cannot be done; `data` names what was looked for. */
export class UndoError extends Error {
  readonly code: UndoErrorCode
  readonly data: Record<string, unknown>
  constructor(code: UndoErrorCode, message: string, data: Record<string, unknown> = {}) {
    super(message)
    this.name = 'UndoError'
    this.code = code
    this.data = data
  }
}

/** Whether `err` is an UndoError (of `code`, when given). */
export function isUndoError(err: unknown, code?: UndoErrorCode): err is UndoError {
  return err instanceof UndoError && (code === undefined || err.code === code)
}
