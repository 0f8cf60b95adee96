/**
 * End to end: a synced sqlite state migrated to another file keeps its GitOps state, but the last
 * sync's revision is the source's; the target's revisions start again. A live edit in the target
 * must still be found by `drift` and undone by `sync` (it was "No drift" / "already in sync": the
 * target's history looked older than the copied revision).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: migrate, then drift and sync in the target')

const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  a: "${v}"\n`

test('a live edit after the migration is drift, and the next sync undoes it and brings back what was deleted before', async () => {
  const t = tempDir()
  try {
    const repo = join(t.dir, 'repo')
    const git = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' })
    execFileSync('git', ['init', '-q', repo])
    writeFileSync(join(repo, 'cm.yaml'), cm('git') + '---\n' + cm('b').replace('name: web', 'name: b'))
    git('add', '-A')
    git('-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'one')
    const src = join(t.dir, 'src.db')
    const dst = join(t.dir, 'dst.db')
    const run = async (state: string, args: string[], input?: string, codes = [0]): Promise<string> => {
      const r = await capstan(state, args, { input })
      assert.ok(codes.includes(r.code), `capstan ${args.join(' ')}: exit ${r.code}: ${r.stderr}`)
      return r.stdout
    }
    await run(src, ['sync', '--repo', repo])
    // The source moves on: its revisions grow past what the target will hold.
    for (let i = 0; i < 6; i++) await run(src, ['sim', 'advance', '10s'])
    // Deleted live in the source: in no history of the target.
    await run(src, ['delete', 'configmap', 'b'])
    const migrated = await capstan(src, ['migrate', '--from', `sqlite:${src}`, '--to', `sqlite:${dst}`])
    assert.is(migrated.code, 0, migrated.stderr)
    await run(dst, ['apply', '-f', '-'], cm('edited'))
    const drift = await run(dst, ['drift', '--repo', repo], undefined, [0, 1])
    assert.match(drift, /Modified\s+configmap\/web\s+default\s+data\.a\s+git\s+edited/)
    await run(dst, ['sync', '--repo', repo])
    assert.is(await run(dst, ['get', 'configmap', 'web', '-o', 'jsonpath={.data.a}']), 'git')
    assert.is(await run(dst, ['get', 'configmap', 'b', '-o', 'jsonpath={.data.a}']), 'b', 'the object deleted before the migration is back')
  } finally {
    t.remove()
  }
})

test.run()
