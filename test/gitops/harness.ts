/** An in-memory state with every controller on a virtual clock, and a git repository, for GitOps tests. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { LocalClient } from '../../reconciler/api/local-client.js'
import { VirtualClock } from '../../reconciler/controllers/runtime/virtual-clock.js'
import { runSync, type SyncOptions, type SyncOutcome } from '../../reconciler/gitops/index.js'
import { virtualClusterRunner } from '../../reconciler/gitops/sync/virtual-cluster.js'
import { openStorage } from '../../reconciler/storage/index.js'
import { makeRepo, type MadeRepo, type ScriptCommit } from '../source/git/make-repo.js'
import { tempDir } from '../helpers/tmp.js'

/** A state, its clock, and a function that syncs a repository with the controllers running. */
export interface Harness {
  api: LocalClient
  clock: VirtualClock
  repo: MadeRepo
  sync(o?: Partial<SyncOptions>): Promise<SyncOutcome>
  close(): Promise<void>
}

/** A fresh state and a repository made of `commits`. */
export async function harness(commits: ScriptCommit[]): Promise<Harness> {
  const t = tempDir('capstan-gitops-')
  const repo = makeRepo(`${t.dir}/repo`, commits)
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new LocalClient({ storage: openStorage('memory:'), now: () => clock.now() })
  await api.bootstrap()
  const runCluster = virtualClusterRunner(api, clock)
  return {
    api,
    clock,
    repo,
    sync: (o = {}) => runSync({ api, source: { repo: repo.dir, cacheDir: `${t.dir}/cache` }, now: () => clock.now(), runCluster, ...o }),
    close: async () => {
      await api.close()
      t.remove()
    },
  }
}

/** Commit files to the harness repository (as `git commit -a` after writing them). */
export function commit(h: Harness, files: Record<string, string | null>, message: string): string {
  for (const [path, text] of Object.entries(files)) {
    const file = `${h.repo.dir}/${path}`
    if (text === null) rmSync(file, { force: true, recursive: true })
    else {
      mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true })
      writeFileSync(file, text)
    }
  }
  h.repo.git('add', '-A')
  h.repo.git('commit', '-q', '-m', message)
  return h.repo.git('rev-parse', 'HEAD')
}
