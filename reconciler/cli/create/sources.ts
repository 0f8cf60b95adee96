/** Parse `--from-literal` and `--from-file` arguments as kubectl does. */
import { CreateError } from './errors.js'
import { goPathBase } from './go-text.js'

/** `key=value` (the value may contain `=` and may be empty; the key may not be empty). */
export function parseLiteralSource(source: string): { key: string; value: string } {
  const at = source.indexOf('=')
  if (at <= 0) throw new CreateError('InvalidLiteralSource', `invalid literal source ${source}, expected key=value`)
  return { key: source.slice(0, at), value: source.slice(at + 1) }
}

/** `path` (the key is the path's last element) or `key=path`. Neither part may hold `=`. */
export function parseFileSource(source: string): { key: string; path: string } {
  const separators = source.split('=').length - 1
  if (separators === 0) return { key: goPathBase(source), path: source }
  if (separators === 1 && source.startsWith('=')) throw new CreateError('InvalidFileSource', `key name for file path ${source.slice(1)} missing`)
  if (separators === 1 && source.endsWith('=')) throw new CreateError('InvalidFileSource', `file path for key name ${source.slice(0, -1)} missing`)
  if (separators > 1) throw new CreateError('InvalidFileSource', "key names or file paths cannot contain '='")
  const [key, path] = source.split('=')
  return { key, path }
}
