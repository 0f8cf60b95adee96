/** `capstan create secret tls NAME --cert=path --key=path` */
import { readFileSync } from 'node:fs'
import { type CreateCommonOptions, requireName } from './common.js'
import { CreateError } from './errors.js'
import { goErrnoText } from './go-text.js'
import { secretObject } from './secret-generic.js'
import { checkKeyPair } from './tls-key-pair.js'

/** The flags of `create secret tls`. */
export interface TlsSecretOptions extends CreateCommonOptions {
  /** `--cert`: PEM certificate (chain) file. */
  cert?: string
  /** `--key`: PEM private key file. */
  key?: string
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (err) {
    throw new CreateError('ReadFailed', `Cannot read file ${path}, open ${path}: ${goErrnoText(err)}`, { cause: err })
  }
}

/**
 * Build the Secret `kubectl create secret tls` builds: type kubernetes.io/tls with `tls.crt` and
 * `tls.key`, after checking that the key matches the certificate.
 */
export function buildTlsSecret(options: TlsSecretOptions): Record<string, unknown> {
  requireName(options.name)
  if (!options.key || !options.cert) throw new CreateError('CertAndKeyRequired', 'key and cert must be specified')
  const cert = readPem(options.cert)
  const key = readPem(options.key)
  checkKeyPair(cert, key)
  const data = new Map([
    ['tls.crt', cert],
    ['tls.key', key],
  ])
  return secretObject({ ...options, type: 'kubernetes.io/tls' }, data)
}
