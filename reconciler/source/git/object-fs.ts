/**
 * A file-system client for isomorphic-git that spares it the syscalls that dominate object reads: it
 * tries to open the loose object file before every read (almost always failing, in a packed
 * repository), lists `objects/pack` and stats the git directory every time. Here each fan-out
 * directory and the pack directory are listed once, and a read of a loose object that is not listed
 * fails at once. Listings go
 * stale when someone else writes objects, so callers `refresh()` and retry when an object is not found.
 */
import * as fs from 'node:fs'
import { join } from 'node:path'
import type { PromiseFsClient } from 'isomorphic-git'

/** The client and a way to forget what it listed. */
export interface ObjectFs {
  client: PromiseFsClient
  refresh(): void
}

// One error for every absent loose object: isomorphic-git only checks that the read failed, and
// capturing a fresh stack trace for each of thousands of reads costs more than the read itself.
const MISSING = Object.freeze(Object.assign(new Error('ENOENT: no such loose object'), { code: 'ENOENT' }))

/** An ObjectFs over node's `fs` for the git directory `gitdir`. */
export function objectFs(gitdir: string): ObjectFs {
  const objects = join(gitdir, 'objects')
  const packDir = join(objects, 'pack')
  let fanout = new Map<string, Promise<Set<string>>>()
  // The fan-out directories that exist (a packed repository has few or none): one listing of `objects`
  // spares a listing of each absent one (undefined: `objects` could not be listed; each is listed).
  let fanoutDirs: Promise<Set<string> | undefined> | undefined
  let packs: Promise<string[]> | undefined
  // isomorphic-git stats the git directory on every call (to follow a `.git` file); it does not change.
  let gitdirStat: Promise<fs.Stats> | undefined
  const p = fs.promises

  /** `xx/yyyy…` when `path` is a loose object path of this repository. */
  const looseName = (path: string): [string, string] | undefined => {
    if (!path.startsWith(objects) || path.length !== objects.length + 42) return undefined
    const m = /[/\\]([0-9a-f]{2})[/\\]([0-9a-f]{38})$/.exec(path)
    return m ? [m[1], m[2]] : undefined
  }
  const listed = (dir: string): Promise<Set<string>> => {
    let l = fanout.get(dir)
    if (!l) {
      const dirs = (fanoutDirs ??= p.readdir(objects).then(
        (names) => new Set(names),
        () => undefined,
      ))
      l = dirs.then((have) =>
        have && !have.has(dir)
          ? new Set<string>()
          : p.readdir(join(objects, dir)).then(
              (names) => new Set(names),
              () => new Set<string>(),
            ),
      )
      fanout.set(dir, l)
    }
    return l
  }
  const client: PromiseFsClient = {
    promises: {
      ...p,
      async readFile(path: string, options?: unknown) {
        const loose = looseName(path)
        if (loose && !(await listed(loose[0])).has(loose[1])) throw MISSING
        return p.readFile(path, options as never)
      },
      async readdir(path: string, options?: unknown) {
        if (path === packDir && options === undefined) return [...(await (packs ??= p.readdir(packDir).catch(() => [])))]
        return p.readdir(path, options as never)
      },
      async stat(path: string, options?: unknown) {
        if (path !== gitdir || options !== undefined) return p.stat(path, options as never)
        gitdirStat ??= p.stat(path).catch((err: unknown) => {
          gitdirStat = undefined
          throw err
        })
        return gitdirStat
      },
      async writeFile(path: string, data: unknown, options?: unknown) {
        await p.writeFile(path, data as never, options as never)
        const loose = looseName(path)
        if (loose) {
          fanout.delete(loose[0])
          fanoutDirs = undefined
        }
        if (path.startsWith(packDir)) packs = undefined
      },
    },
  }
  return {
    client,
    refresh() {
      fanout = new Map()
      fanoutDirs = undefined
      packs = undefined
    },
  }
}
