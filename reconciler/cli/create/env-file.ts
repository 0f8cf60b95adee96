/** Read a `--from-env-file` the way kubectl 1.32 does. */
import { CreateError } from './errors.js'
import { GO_SPACE, goBytes, goQuote } from './go-text.js'
import { envVarNameErrors } from './key-rules.js'
import { readBytes, utf8Text } from './read-files.js'

const leadingSpace = new RegExp(`^[${GO_SPACE}]+`, 'u')
const BOM = [0xef, 0xbb, 0xbf]

/** bufio.Scanner's longest line: a longer one stops the scan (kubectl does not report it). */
const MAX_LINE_BYTES = 64 * 1024

/** Split into lines as bufio.ScanLines does: on `\n`, dropping one `\r` before it; no empty last line. */
function scanLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  while (start < data.length) {
    let end = data.indexOf(0x0a, start)
    const next = end < 0 ? data.length : end + 1
    if (end < 0) end = data.length
    let line = data.subarray(start, end)
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1)
    if (end - start >= MAX_LINE_BYTES) break
    lines.push(line)
    start = next
  }
  return lines
}

/**
 * Parse env-file content into `[key, value]` pairs, in order. Rules (kubectl 1.32): leading
 * whitespace is dropped; empty lines and lines starting with `#` are skipped; the rest is split at
 * the first `=`; the key must be a valid environment variable name (no trimming: `A =1` is invalid);
 * the value is kept as written (quotes and trailing spaces included); a line with no `=` takes its
 * value from the environment (empty when unset). A UTF-8 BOM is dropped from the first line only.
 * There is no `export` keyword and no multi-line value.
 */
export function parseEnvFile(data: Buffer, file: string, env: Record<string, string | undefined> = process.env): [string, string][] {
  const out: [string, string][] = []
  scanLines(data).forEach((raw, index) => {
    const text = utf8Text(raw)
    if (text === undefined) {
      throw new CreateError('InvalidEnvFile', `env file ${file} contains invalid utf8 bytes at line ${index + 1}: ${goBytes(raw)}`)
    }
    let line = text
    if (index === 0 && raw.length >= 3 && raw[0] === BOM[0] && raw[1] === BOM[1] && raw[2] === BOM[2]) line = line.slice(1)
    line = line.replace(leadingSpace, '')
    if (line === '' || line.startsWith('#')) return
    const at = line.indexOf('=')
    const key = at < 0 ? line : line.slice(0, at)
    const errs = envVarNameErrors(key)
    if (errs.length) throw new CreateError('InvalidEnvFile', `${goQuote(key)} is not a valid key name: ${errs.join(';')}`)
    out.push([key, at < 0 ? env[key] ?? '' : line.slice(at + 1)])
  })
  return out
}

/** Read and parse an env file at `path`. */
export function readEnvFile(path: string, env?: Record<string, string | undefined>): [string, string][] {
  return parseEnvFile(readBytes(path), path, env)
}
