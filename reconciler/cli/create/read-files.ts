/** File reading for the create commands, failing with kubectl's words. */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs'
import { CreateError } from './errors.js'
import { goErrnoText, goPathJoin } from './go-text.js'

/** `os.Stat`, failing as `error reading PATH: REASON`. */
export function statSource(path: string): Stats {
  try {
    return statSync(path)
  } catch (err) {
    throw new CreateError('ReadFailed', `error reading ${path}: ${goErrnoText(err)}`, { cause: err })
  }
}

/** `os.ReadFile`, failing as `open PATH: REASON`. */
export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (err) {
    throw new CreateError('ReadFailed', `open ${path}: ${goErrnoText(err)}`, { cause: err })
  }
}

/** The regular files of a directory (no links, no subdirectories), by name, with their joined paths. */
export function regularFilesIn(dir: string): { name: string; path: string }[] {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (err) {
    throw new CreateError('ReadFailed', `error listing files in ${dir}: open ${dir}: ${goErrnoText(err)}`, { cause: err })
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((name) => ({ name, path: goPathJoin(dir, name) }))
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The bytes as a string when they are valid UTF-8 (a BOM kept), else undefined. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}
