/** `capstan create secret generic NAME [--type=T] [--from-literal=k=v]... [--from-file=[key=]path]... [--from-env-file=path]...` */
import { type CreateCommonOptions, metadataFor, requireName, saveConfig, sortedMap } from './common.js'
import { readEnvFile } from './env-file.js'
import { CreateError } from './errors.js'
import { goQuote } from './go-text.js'
import { configMapKeyErrors } from './key-rules.js'
import { secretHash } from './name-hash.js'
import { readBytes, regularFilesIn, statSource } from './read-files.js'
import { parseFileSource, parseLiteralSource } from './sources.js'

/** The flags of `create secret generic`, each in the order given on the command line. */
export interface GenericSecretOptions extends CreateCommonOptions {
  /** `--type`; left out of the object when empty (the server defaults it to Opaque). */
  type?: string
  fromLiteral?: string[]
  fromFile?: string[]
  fromEnvFile?: string[]
  /** Where keys without `=` in an env file take their value. Defaults to `process.env`. */
  env?: Record<string, string | undefined>
}

/** Add one key to a Secret's data, with kubectl's key checks and words. */
export function addSecretKey(data: Map<string, Buffer>, key: string, value: Buffer): void {
  const errs = configMapKeyErrors(key)
  if (errs.length) throw new CreateError('InvalidKey', `${goQuote(key)} is not valid key name for a Secret ${errs.join(';')}`)
  if (data.has(key)) throw new CreateError('DuplicateKey', `cannot add key ${key}, another key by that name already exists`)
  data.set(key, value)
}

/** A Secret object in kubectl's field order, from raw data. */
export function secretObject(options: CreateCommonOptions & { type?: string }, data: Map<string, Buffer>): Record<string, unknown> {
  const { name, namespace, appendHash = false, type = '' } = options
  const encoded = Object.fromEntries(Object.entries(sortedMap(data)).map(([k, v]) => [k, v.toString('base64')]))
  const finalName = appendHash ? `${name}-${secretHash(name, type, encoded)}` : name
  const object: Record<string, unknown> = { kind: 'Secret', apiVersion: 'v1', metadata: metadataFor(finalName, namespace) }
  if (Object.keys(encoded).length) object.data = encoded
  if (type) object.type = type
  if (options.saveConfig) saveConfig(object)
  return object
}

/**
 * Build the Secret `kubectl create secret generic` builds for the same flags: literals first, then
 * files, then env files; values base64 in `data`, keys sorted; `type` only when given.
 */
export function buildGenericSecret(options: GenericSecretOptions): Record<string, unknown> {
  const { name, fromLiteral = [], fromFile = [], fromEnvFile = [], env } = options
  requireName(name)
  if (fromEnvFile.length > 0 && (fromFile.length > 0 || fromLiteral.length > 0)) {
    throw new CreateError('EnvFileCombined', 'from-env-file cannot be combined with from-file or from-literal')
  }
  const data = new Map<string, Buffer>()
  for (const source of fromLiteral) {
    const { key, value } = parseLiteralSource(source)
    addSecretKey(data, key, Buffer.from(value, 'utf8'))
  }
  for (const source of fromFile) {
    const { key, path } = parseFileSource(source)
    const info = statSource(path)
    if (info.isDirectory()) {
      if (source.includes('=')) throw new CreateError('KeyForDirectory', 'cannot give a key name for a directory path')
      for (const file of regularFilesIn(path)) addSecretKey(data, file.name, readBytes(file.path))
    } else {
      addSecretKey(data, key, readBytes(path))
    }
  }
  for (const path of fromEnvFile) {
    if (statSource(path).isDirectory()) throw new CreateError('EnvFileIsDirectory', 'env secret file cannot be a directory')
    for (const [key, value] of readEnvFile(path, env)) addSecretKey(data, key, Buffer.from(value, 'utf8'))
  }
  return secretObject(options, data)
}
