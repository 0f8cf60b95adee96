/** Errors of `capstan create configmap|secret`, worded as kubectl words them. */

/** Why a create command could not build its object. A closed set. */
export type CreateErrorCode =
  /** NAME missing, or more than one. */
  | 'NameRequired'
  /** A `--from-literal` without `key=value`. */
  | 'InvalidLiteralSource'
  /** A `--from-file` with an empty key or path, or too many `=`. */
  | 'InvalidFileSource'
  /** `--from-file=key=DIR`: a directory cannot take a key name. */
  | 'KeyForDirectory'
  /** `--from-env-file` given with `--from-file` or `--from-literal`. */
  | 'EnvFileCombined'
  /** `--from-env-file` names a directory. */
  | 'EnvFileIsDirectory'
  /** A line of an env file that is not `KEY=VAL` with a valid name, or is not UTF-8. */
  | 'InvalidEnvFile'
  /** A key that is not a valid ConfigMap/Secret key. */
  | 'InvalidKey'
  /** The same key twice. */
  | 'DuplicateKey'
  /** A file or directory that cannot be read (missing, no permission). */
  | 'ReadFailed'
  /** `create secret tls` without both `--cert` and `--key`. */
  | 'CertAndKeyRequired'
  /** The certificate and key do not make a pair (no PEM, wrong type, mismatch). */
  | 'InvalidKeyPair'

/** A create command's error. `message` is kubectl's text; printed as `error: <message>`. */
export class CreateError extends Error {
  readonly code: CreateErrorCode
  constructor(code: CreateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CreateError'
    this.code = code
  }
  /** The line kubectl prints on stderr for it. */
  get kubectlText(): string {
    return `error: ${this.message}`
  }
}

/** True for a CreateError (of the given code, when one is given). */
export function isCreateError(err: unknown, code?: CreateErrorCode): err is CreateError {
  return err instanceof CreateError && (code === undefined || err.code === code)
}
