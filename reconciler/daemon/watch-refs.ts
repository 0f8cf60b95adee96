/**
 * Watches a local repository's refs (HEAD, packed-refs, refs/**) with chokidar — a bare repository
 * or a work tree's git directory — and calls `onChange` (debounced) when any of them is written, as
 * `git push` into a bare repository or a commit in a work tree does.
 */
import { watch, type FSWatcher } from 'chokidar'
import { relative, sep } from 'node:path'

/** A running watcher. */
export interface RefWatcher {
  close(): Promise<void>
}

/** Whether `rel` (relative to the git directory) is a ref file or a folder holding them. */
function isRefPath(rel: string): boolean {
  const p = rel.split(sep).join('/')
  if (p === '' || p === 'HEAD' || p === 'packed-refs' || p === 'refs') return true
  return p.startsWith('refs/') && !p.endsWith('.lock')
}

/** Starts watching `gitdir`; resolves once the watcher is armed. */
export async function watchRefs(gitdir: string, onChange: (path: string) => void, debounceMs = 20): Promise<RefWatcher> {
  // atomic: false — git replaces a ref by renaming its lock file; every event is wanted at once, not merged after 100 ms.
  const watcher: FSWatcher = watch(gitdir, { ignoreInitial: true, atomic: false, ignored: (p: string) => !isRefPath(relative(gitdir, p)) })
  let timer: NodeJS.Timeout | undefined
  let trailing: NodeJS.Timeout | undefined
  let lastPath = ''
  const fire = (path: string): void => {
    lastPath = path
    clearTimeout(timer)
    clearTimeout(trailing)
    timer = setTimeout(() => onChange(relative(gitdir, lastPath)), debounceMs)
    // Once more after the burst: file events of quick successive writes can be merged by the OS.
    trailing = setTimeout(() => onChange(relative(gitdir, lastPath)), debounceMs + 250)
  }
  watcher.on('add', fire).on('change', fire).on('unlink', fire)
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', () => resolve())
    watcher.once('error', reject)
  })
  return {
    close: async () => {
      clearTimeout(timer)
      clearTimeout(trailing)
      await watcher.close()
    },
  }
}
