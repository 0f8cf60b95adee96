/** Render a kustomization directory of a commit: copy its files out of git into a temp dir and run kustomize. */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { constants } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, posix } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { ParsedBlob, ParsedBlobCache } from './blob-cache.js'
import { SourceError } from './errors.js'
import { parseBlobText } from './parse-blob.js'
import { readBlobBytes } from './read-blob.js'
import type { GitRepo } from './repo.js'
import { listFiles, type TreeFile } from './tree.js'

/** The file names that make a directory a kustomization, as kustomize looks for them. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const

/** True when `path`'s base name is a kustomization file. */
export function isKustomizationFile(path: string): boolean {
  return (KUSTOMIZATION_FILES as readonly string[]).includes(posix.basename(path))
}

/** How to run kustomize. */
export interface KustomizeOptions {
  /** The command and its leading arguments (the directory is appended), e.g. `['kustomize', 'build']`; `null` for none. Found on PATH by default. */
  command?: readonly string[] | null
  /** Give up after this long (default 60 s). */
  timeoutMs?: number
}

async function onPath(name: string, path = process.env.PATH ?? ''): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (await access(join(dir, name), constants.X_OK).then(() => true, () => false)) return true
  }
  return false
}

/** `kustomize build` when kustomize is installed, else `kubectl kustomize`, else undefined. */
export async function findKustomizeCommand(options: KustomizeOptions = {}): Promise<readonly string[] | undefined> {
  if (options.command !== undefined) return options.command ?? undefined
  if (await onPath('kustomize')) return ['kustomize', 'build']
  if (await onPath('kubectl')) return ['kubectl', 'kustomize']
  return undefined
}

/** Paths a kustomization file refers to outside its own directory (`../base`, `../../common/patch.yaml`), resolved in the repository. */
function parentReferences(text: string, dir: string): string[] {
  let doc: unknown
  try {
    doc = parseYaml(text, { maxAliasCount: 100 })
  } catch {
    return [] // kustomize will say what is wrong with it
  }
  const out: string[] = []
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      if (v === '..' || v.startsWith('../')) {
        const p = posix.normalize(posix.join(dir, v))
        if (p !== '..' && !p.startsWith('../')) out.push(p === '.' ? '' : p)
      }
    } else if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') Object.values(v).forEach(visit)
  }
  visit(doc)
  return out
}

const under = (path: string, dir: string) => dir === '' || path === dir || path.startsWith(`${dir}/`)

/** The files kustomize needs for `dir`: its own, and (transitively) what its kustomizations reach with `../`. */
async function inputsOf(repo: GitRepo, commit: string, dir: string, own: TreeFile[]): Promise<TreeFile[]> {
  const files = new Map(own.map((f) => [f.path, f]))
  const roots = [dir]
  const queue = own.filter((f) => isKustomizationFile(f.path))
  for (let seen = 0; queue.length > 0 && seen < 1000; seen++) {
    const k = queue.shift() as TreeFile
    const text = Buffer.from(await readBlobBytes(repo, k.oid, k.path)).toString('utf8')
    for (const ref of parentReferences(text, posix.dirname(k.path))) {
      if (roots.some((r) => under(ref, r))) continue
      const found = await listFiles(repo, commit, ref).catch(() => [])
      roots.push(ref)
      for (const f of found) {
        if (files.has(f.path)) continue
        files.set(f.path, f)
        if (isKustomizationFile(f.path)) queue.push(f)
      }
    }
  }
  return [...files.values()]
}

function run(command: readonly string[], dir: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command[0], [...command.slice(1), dir], { maxBuffer: 512 * 1024 * 1024, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr: String(stderr) }))
      else resolve(String(stdout))
    })
  })
}

/** Options of `renderKustomization`. */
export interface RenderKustomizationOptions {
  repo: GitRepo
  commit: string
  /** The kustomization directory, relative to the repository root. */
  dir: string
  /** The files under `dir` in the commit. */
  files: TreeFile[]
  command: readonly string[]
  cache: ParsedBlobCache
  timeoutMs?: number
}

/**
 * The objects `kustomize build` makes of `dir` at `commit`, as a ParsedBlob of its output (lines
 * are lines of that output; the objects carry no source, so `fieldLine` gives nothing for them).
 * Cached by the ids of every input file, so an unchanged kustomization is not built again.
 * Throws KustomizeFailed with kustomize's message.
 */
export async function renderKustomization({ repo, commit, dir, files, command, cache, timeoutMs = 60_000 }: RenderKustomizationOptions): Promise<ParsedBlob> {
  const inputs = (await inputsOf(repo, commit, dir, files)).sort((a, b) => (a.path < b.path ? -1 : 1))
  const key = `kustomize:${createHash('sha1')
    .update(JSON.stringify([command, dir, inputs.map((f) => [f.path, f.oid, f.mode])]))
    .digest('hex')}`
  const cached = await cache.get(key)
  if (cached) return cached
  const tmp = await mkdtemp(join(tmpdir(), 'capstan-kustomize-'))
  try {
    for (const f of inputs) {
      if (f.mode === '120000') continue // symbolic links are not followed out of the repository
      const target = join(tmp, ...f.path.split('/'))
      await mkdir(join(target, '..'), { recursive: true })
      await writeFile(target, await readBlobBytes(repo, f.oid, f.path))
    }
    const root = join(tmp, ...dir.split('/').filter(Boolean))
    let out: string
    try {
      out = await run(command, root, timeoutMs)
    } catch (err) {
      const stderr = ((err as { stderr?: string }).stderr ?? '').split(tmp + '/').join('').trim()
      const message = stderr || (err as Error).message
      throw new SourceError('KustomizeFailed', `${command.join(' ')} ${dir || '.'}: ${message}`, { dir, command: [...command], message })
    }
    const parsed = parseBlobText(out, 'kustomize-output.yaml')
    // Copies without a source: positions in kustomize's output would only mislead.
    const result: ParsedBlob = { objects: parsed.objects.map((o) => ({ ...o, object: structuredClone(o.object) })), errors: parsed.errors }
    await cache.put(key, result)
    return result
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}
