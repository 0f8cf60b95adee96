import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { isSourceError, listFiles, memoryBlobCache, mirrorDir, resolveRef, syncRemote } from '../../../reconciler/source/git/index.js'
import { renderTree } from '../../../reconciler/source/render-tree.js'
import { tempDir } from '../../helpers/tmp.js'
import { startGitHttpServer, type GitHttpServer } from './git-http-server.js'
import { makeRepo, runGit, type MadeRepo } from './make-repo.js'

const cm = (name: string, data = 'x') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: ${data}\n`

let tmp: ReturnType<typeof tempDir>
let server: GitHttpServer
let work: MadeRepo
let served: string
const remote = suite('syncRemote')

remote.before(async () => {
  tmp = tempDir('capstan-remote-')
  work = makeRepo(join(tmp.dir, 'work'), [
    { files: { 'apps/web.yaml': cm('web') }, message: 'one', tag: { name: 'v1', message: 'first' } },
    { files: { 'apps/db.yaml': cm('db') }, message: 'two' },
  ])
  work.git('branch', 'feature', work.commits[0])
  served = join(tmp.dir, 'served', 'team', 'config.git')
  execFileSync('git', ['clone', '-q', '--bare', work.dir, served])
  server = await startGitHttpServer(join(tmp.dir, 'served'))
})
remote.after(async () => {
  await server.close()
  tmp.remove()
})

remote('clones into a bare mirror the first time, then fetches a new commit', async () => {
  const url = `${server.url}team/config.git`
  const cacheDir = join(tmp.dir, 'cache')
  const first = await syncRemote({ url, cacheDir })
  assert.is(first.oid, work.commits[1])
  assert.is(first.defaultBranch, 'main')
  assert.is(first.repo.bare, true)
  assert.is(first.repo.gitdir, mirrorDir(cacheDir, url))
  assert.is(await resolveRef(first.repo, 'feature'), work.commits[0])
  assert.is(await resolveRef(first.repo, 'v1'), work.commits[0])
  const files = await listFiles(first.repo, first.oid)
  assert.equal(files.map((f) => f.path), ['apps/db.yaml', 'apps/web.yaml'])

  // A new commit is pushed to the served repository.
  runGit(work.dir, ['commit', '-q', '--allow-empty', '-m', 'three'])
  writeAndCommit(work, 'apps/cache.yaml', cm('cache'), 'add cache')
  runGit(work.dir, ['push', '-q', served, 'main'])
  const head = work.git('rev-parse', 'HEAD')

  const second = await syncRemote({ url, cacheDir, repo: first.repo })
  assert.is(second.repo, first.repo)
  assert.is(second.oid, head)
  const r = await renderTree({ repo: second.repo, commit: second.oid, cache: memoryBlobCache() })
  assert.equal(r.objects.map((o) => o.file), ['apps/cache.yaml', 'apps/db.yaml', 'apps/web.yaml'])
  // A named ref, in a fresh handle over the same mirror.
  const tagged = await syncRemote({ url, cacheDir, ref: 'v1' })
  assert.is(tagged.oid, work.commits[0])
  runGit(first.repo.gitdir, ['fsck', '--strict'])
})

remote('an unknown ref after fetching is RefNotFound; an unknown repository is FetchFailed', async () => {
  const cacheDir = join(tmp.dir, 'cache2')
  const err = await syncRemote({ url: `${server.url}team/config.git`, cacheDir, ref: 'nope' }).catch((e) => e)
  assert.ok(isSourceError(err, 'RefNotFound'), String(err))
  const missing = await syncRemote({ url: `${server.url}team/missing.git`, cacheDir }).catch((e) => e)
  assert.ok(isSourceError(missing, 'FetchFailed'), String(missing))
  assert.is(missing.data.url, `${server.url}team/missing.git`)
})

remote('credentials never reach the mirror directory name or messages', async () => {
  const url = `${server.url.replace('http://', 'http://user:s3cret@')}team/missing.git`
  const cacheDir = join(tmp.dir, 'cache3')
  const err = await syncRemote({ url, cacheDir }).catch((e) => e)
  assert.ok(isSourceError(err, 'FetchFailed'))
  assert.not.ok(err.message.includes('s3cret'))
  assert.not.ok(mirrorDir(cacheDir, url).includes('s3cret'))
  assert.ok(existsSync(mirrorDir(cacheDir, url)))
})

function writeAndCommit(made: MadeRepo, path: string, text: string, message: string): void {
  execFileSync('sh', ['-c', `mkdir -p "$(dirname "$1")" && printf '%s' "$2" > "$1"`, 'sh', join(made.dir, path), text])
  runGit(made.dir, ['add', '-A'])
  runGit(made.dir, ['commit', '-q', '-m', message])
}

remote.run()
