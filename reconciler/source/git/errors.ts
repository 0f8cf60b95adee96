/** What can go wrong in capstan's git source: a closed set of codes, carried by one error class. */

/** The ways a source operation fails. A closed set: callers switch on it. */
export type SourceErrorCode =
  /** The path is not a git repository (no `.git`, not a bare repository). */
  | 'NotARepository'
  /** No branch, remote branch, tag or object goes by that name. */
  | 'RefNotFound'
  /** A short sha matches more than one object (the candidates are in `data.matches`). */
  | 'AmbiguousRef'
  /** The ref names an object that is not a commit and does not peel to one (a tree or a blob). */
  | 'NotACommit'
  /** The `--path` does not exist in the commit's tree. */
  | 'PathNotFound'
  /** `commitFile` was asked to replace a file that has uncommitted changes in the work tree or index. */
  | 'DirtyWorkTree'
  /** The branch moved while a commit was being written on it (someone else committed): try again. */
  | 'RefMoved'
  /** A directory holds a kustomization, but neither `kustomize` nor `kubectl` is installed. */
  | 'KustomizeMissing'
  /** `kustomize build` (or `kubectl kustomize`) failed for one or more directories (`data.failures`). */
  | 'KustomizeFailed'
  /** Cloning or fetching a remote repository failed (network, authentication, no such repository). */
  | 'FetchFailed'
  /** Reading an object of the repository failed (a corrupt or incomplete repository). */
  | 'ReadFailed'

/** An error of the git source, with a code to switch on and the data that explains it. */
export class SourceError extends Error {
  override readonly name = 'SourceError'
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** True when `err` is a SourceError (with the given code, when one is given). */
export function isSourceError(err: unknown, code?: SourceErrorCode): err is SourceError {
  return err instanceof SourceError && (code === undefined || err.code === code)
}

/** The isomorphic-git error code of `err` (`NotFoundError`, `AmbiguousError`, …), if it has one. */
export function gitErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}
