/** Read manifests from the paths given to `-f`: files, directories and `-` for standard input. */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { ManifestError } from './errors.js'
import { parseManifests } from './parse-manifests.js'
import type { ManifestObject } from './types.js'

/** The extensions a directory is searched for, as kubectl's (case-sensitive). */
export const MANIFEST_EXTENSIONS = ['.json', '.yaml', '.yml'] as const

/** The name standard input goes by in objects and errors. */
export const STDIN_NAME = 'STDIN'

/** Options of `readManifestPaths`. */
export interface ReadManifestOptions {
  /** Descend into subdirectories (kubectl's `-R`). capstan's git source always does. */
  recursive?: boolean
  /** Reads standard input for the path `-`. Defaults to reading `process.stdin` to its end. */
  stdin?: () => Promise<string>
}

/** What the paths held: objects in order (paths, then files sorted by name, then documents), problems, and the files read. */
export interface ReadManifestResult {
  objects: ManifestObject[]
  errors: ManifestError[]
  files: string[]
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

function hasManifestExtension(name: string): boolean {
  return MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext))
}

/** Byte-wise order of names, as Go's filepath.Walk lists them (not the locale's order). */
function byName(a: string, b: string): number {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return Buffer.compare(x, y)
}

function ioMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many levels of symbolic links',
  }
  return (e.code && why[e.code]) || e.message
}

/** List the manifest files of a directory: sorted, with the given extensions, into subdirectories when recursive (never into `.git`). */
async function listDirectory(dir: string, recursive: boolean, errors: ManifestError[]): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    errors.push({ file: dir, code: 'ReadFailed', message: `error reading ${dir}: ${ioMessage(err)}` })
    return []
  }
  entries.sort((a, b) => byName(a.name, b.name))
  const files: string[] = []
  for (const entry of entries) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (recursive && entry.name !== '.git') files.push(...(await listDirectory(full, recursive, errors)))
    } else if (hasManifestExtension(entry.name)) {
      // A symbolic link counts when it points at a file, as with filepath.Walk, which opens it as one.
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined)
        if (!target?.isFile()) continue
      }
      files.push(full)
    }
  }
  return files
}

/**
 * Read every object from `paths` as `kubectl apply -f` does: a file is read whatever its name, a
 * directory gives its `*.json`, `*.yaml` and `*.yml` files in name order (subdirectories only with
 * `recursive`), and `-` is standard input. A path that does not exist is an error naming it.
 */
export async function readManifestPaths(paths: string[], { recursive = false, stdin = readProcessStdin }: ReadManifestOptions = {}): Promise<ReadManifestResult> {
  const result: ReadManifestResult = { objects: [], errors: [], files: [] }
  const add = (text: string, file: string) => {
    const parsed = parseManifests(text, file)
    result.files.push(file)
    result.objects.push(...parsed.objects)
    result.errors.push(...parsed.errors)
  }
  for (const p of paths) {
    if (p === '-') {
      add(await stdin(), STDIN_NAME)
      continue
    }
    let info
    try {
      info = await stat(p)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        result.errors.push({ file: p, code: 'PathNotFound', message: `the path "${p}" does not exist` })
      } else {
        result.errors.push({ file: p, code: 'ReadFailed', message: `error reading ${p}: ${ioMessage(err)}` })
      }
      continue
    }
    const files = info.isDirectory() ? await listDirectory(p, recursive, result.errors) : [p]
    for (const file of files) {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (err) {
        result.errors.push({ file, code: 'ReadFailed', message: `error reading ${file}: ${ioMessage(err)}` })
        continue
      }
      add(text, file)
    }
  }
  return result
}
