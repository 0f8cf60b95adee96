/** openStorage: spec strings to backends. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openStorage } from '../../reconciler/storage/open-storage.js'
import { isStorageError } from '../../reconciler/storage/types.js'

const test = suite('openStorage')

test('opens the backend a spec names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-open-'))
  try {
    const cases = [
      { name: 'memory', spec: 'memory:', kind: 'memory' },
      { name: 'sqlite scheme', spec: `sqlite:${join(dir, 'a.db')}`, kind: 'sqlite' },
      { name: 'bare path', spec: join(dir, 'b.db'), kind: 'sqlite' },
      { name: 'relative-looking path with a colon late', spec: join(dir, 'c:d.db'), kind: 'sqlite' },
    ]
    for (const c of cases) {
      const s = openStorage(c.spec)
      assert.is(s.kind, c.kind, c.name)
      await s.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('refuses unknown schemes and empty paths', () => {
  for (const spec of ['http://x', 'sqlite:', '', 'etcd://127.0.0.1:2379']) {
    try {
      openStorage(spec)
      assert.unreachable(spec)
    } catch (err) {
      assert.ok(isStorageError(err, 'InvalidRequest'), spec)
    }
  }
})

test.run()
