/** `capstan create configmap NAME [--from-literal=k=v]... [--from-file=[key=]path]... [--from-env-file=path]...` */
import { type CreateCommonOptions, metadataFor, requireName, saveConfig, sortedMap } from './common.js'
import { readEnvFile } from './env-file.js'
import { CreateError } from './errors.js'
import { goQuote } from './go-text.js'
import { configMapKeyErrors } from './key-rules.js'
import { configMapHash } from './name-hash.js'
import { readBytes, regularFilesIn, statSource, utf8Text } from './read-files.js'
import { parseFileSource, parseLiteralSource } from './sources.js'

/** The flags of `create configmap`, each in the order given on the command line. */
export interface ConfigMapOptions extends CreateCommonOptions {
  fromLiteral?: string[]
  fromFile?: string[]
  fromEnvFile?: string[]
  /** Where keys without `=` in an env file take their value. Defaults to `process.env`. */
  env?: Record<string, string | undefined>
}

class ConfigMapData {
  readonly data = new Map<string, string>()
  readonly binaryData = new Map<string, Buffer>()
  constructor(private readonly name: string) {}

  private check(key: string): void {
    const errs = configMapKeyErrors(key)
    if (errs.length) throw new CreateError('InvalidKey', `${goQuote(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`)
    if (this.data.has(key)) {
      throw new CreateError('DuplicateKey', `cannot add key ${goQuote(key)}, another key by that name already exists in Data for ConfigMap ${goQuote(this.name)}`)
    }
    if (this.binaryData.has(key)) {
      throw new CreateError('DuplicateKey', `cannot add key ${goQuote(key)}, another key by that name already exists in BinaryData for ConfigMap ${goQuote(this.name)}`)
    }
  }

  addText(key: string, value: string): void {
    this.check(key)
    this.data.set(key, value)
  }

  /** A file's content: text when it is valid UTF-8, else binaryData. */
  addFile(key: string, path: string): void {
    const bytes = readBytes(path)
    const text = utf8Text(bytes)
    if (text !== undefined) return this.addText(key, text)
    this.check(key)
    this.binaryData.set(key, bytes)
  }
}

/**
 * Build the ConfigMap `kubectl create configmap` builds for the same flags: files first, then
 * literals, then env files (this order decides which duplicate is reported); keys sorted; empty
 * `data`/`binaryData` left out; `metadata.creationTimestamp: null` as kubectl prints it.
 */
export function buildConfigMap(options: ConfigMapOptions): Record<string, unknown> {
  const { name, namespace, fromLiteral = [], fromFile = [], fromEnvFile = [], appendHash = false, env } = options
  requireName(name)
  if (fromEnvFile.length > 0 && (fromFile.length > 0 || fromLiteral.length > 0)) {
    throw new CreateError('EnvFileCombined', 'from-env-file cannot be combined with from-file or from-literal')
  }
  const content = new ConfigMapData(name)
  for (const source of fromFile) {
    const { key, path } = parseFileSource(source)
    const info = statSource(path)
    if (info.isDirectory()) {
      if (source.includes('=')) throw new CreateError('KeyForDirectory', 'cannot give a key name for a directory path')
      for (const file of regularFilesIn(path)) content.addFile(file.name, file.path)
    } else {
      content.addFile(key, path)
    }
  }
  for (const source of fromLiteral) {
    const { key, value } = parseLiteralSource(source)
    content.addText(key, value)
  }
  for (const path of fromEnvFile) {
    if (statSource(path).isDirectory()) throw new CreateError('EnvFileIsDirectory', 'env config file cannot be a directory')
    for (const [key, value] of readEnvFile(path, env)) content.addText(key, value)
  }
  const data = sortedMap(content.data)
  const binaryData = Object.fromEntries(Object.entries(sortedMap(content.binaryData)).map(([k, v]) => [k, v.toString('base64')]))
  const finalName = appendHash ? `${name}-${configMapHash(name, data, binaryData)}` : name
  const object: Record<string, unknown> = { kind: 'ConfigMap', apiVersion: 'v1', metadata: metadataFor(finalName, namespace) }
  if (Object.keys(data).length) object.data = data
  if (Object.keys(binaryData).length) object.binaryData = binaryData
  if (options.saveConfig) saveConfig(object)
  return object
}
