/**
 * Bulk reads through the direct object reader give what isomorphic-git gives: the same file
 * listings, the same blob bytes and the same tree differences — from loose objects, and from a pack
 * full of offset deltas (git repack), and with a changed mode on one side.
 */
import { readdirSync } from 'node:fs'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { bulkReader, diffTreeFiles, listTreeFiles } from '../../../reconciler/source/git/bulk-read.js'
import { diffTrees, entryAt, listFiles, openRepo } from '../../../reconciler/source/git/index.js'
import { readBlobBytes } from '../../../reconciler/source/git/read-blob.js'
import { tempDir } from '../../helpers/tmp.js'
import { makeRepo, runGit, type MadeRepo } from './make-repo.js'

const test = suite('source/git bulk-read')

let t: ReturnType<typeof tempDir>
let repo: MadeRepo
const doc = (i: number, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n${Array.from({ length: 40 }, (_, k) => `  key${k}: value-${k}-${i}\n`).join('')}${extra}`

test.before(() => {
  t = tempDir('capstan-bulk-read-')
  // Names around `a/` in byte order (`-` and `.` sort before `/`, `0` after): git's tree order must give path order.
  const first: Record<string, string> = { 'top.yaml': doc(0), 'a/b/c/deep.yaml': doc(1), 'a.yaml': doc(2), 'a-b.yaml': doc(3), 'a0.yaml': doc(4), 'a/b.yaml': doc(5), 'script.sh': '#!/bin/sh\necho hi\n' }
  for (let i = 0; i < 30; i++) first[`apps/app-${i}/cm.yaml`] = doc(i)
  const second: Record<string, string | null> = { 'top.yaml': doc(0, '  added: yes\n'), 'apps/app-3/cm.yaml': null, 'apps/new/cm.yaml': doc(99), 'a/b/c/deep.yaml': doc(1, '  more: 1\n') }
  for (let i = 10; i < 20; i++) second[`apps/app-${i}/cm.yaml`] = doc(i, `  changed: "${i}"\n`)
  repo = makeRepo(`${t.dir}/repo`, [
    { files: first, message: 'first' },
    { files: second, message: 'second' },
  ])
  // A mode change on one side (the blob stays the same).
  runGit(repo.dir, ['update-index', '--chmod=+x', 'script.sh'])
  runGit(repo.dir, ['commit', '-q', '-m', 'mode'])
  repo.commits.push(runGit(repo.dir, ['rev-parse', 'HEAD']))
})
test.after(() => t.remove())

async function check(label: string): Promise<void> {
  const git = await openRepo(repo.dir)
  const r = bulkReader(git)
  for (const commit of repo.commits) {
    const tree = (await entryAt(git, commit, ''))!.oid
    const files = await listTreeFiles(r, tree)
    assert.equal(files, await listFiles(git, commit), `${label}: listing of ${commit}`)
    for (const f of files) {
      const want = Buffer.from(await readBlobBytes(git, f.oid))
      assert.ok((await r.blob(f.oid)).equals(want), `${label}: ${f.path}`)
    }
  }
  for (let i = 1; i < repo.commits.length; i++) {
    const [a, b] = [repo.commits[i - 1], repo.commits[i]]
    const ours = await diffTreeFiles(r, (await entryAt(git, a, ''))!.oid, (await entryAt(git, b, ''))!.oid)
    const theirs = await diffTrees(git, a, b)
    assert.equal(
      ours.map((c) => [c.path, c.old?.oid, c.new?.oid, c.new?.mode ?? c.old?.mode]),
      theirs.map((c) => [c.path, c.oldOid, c.newOid, c.mode]),
      `${label}: diff ${i}`,
    )
  }
  const mode = await diffTreeFiles(r, (await entryAt(git, repo.commits[1], ''))!.oid, (await entryAt(git, repo.commits[2], ''))!.oid)
  assert.equal(mode, [{ path: 'script.sh', old: { oid: mode[0].old!.oid, mode: '100644' }, new: { oid: mode[0].old!.oid, mode: '100755' } }])
  assert.is(await r.typeOf((await entryAt(git, repo.commits[0], 'a'))!.oid), 'tree')
}

test('loose objects', async () => {
  await check('loose')
})

test('a packed repository with offset deltas', async () => {
  runGit(repo.dir, ['repack', '-adq', '--depth=50', '--window=50'])
  runGit(repo.dir, ['prune-packed'])
  const packDir = `${repo.dir}/.git/objects/pack`
  const idx = readdirSync(packDir).find((n) => n.endsWith('.idx'))!
  // Objects stored as deltas show their base's id in verify-pack's listing.
  const deltas = runGit(repo.dir, ['verify-pack', '-v', `${packDir}/${idx}`]).split('\n').filter((l) => /^[0-9a-f]{40} \w+ +\d+ \d+ \d+ \d+ [0-9a-f]{40}$/.test(l))
  assert.ok(deltas.length > 5, `deltas in the pack: ${deltas.length}`)
  await check('packed')
})

test.run()
