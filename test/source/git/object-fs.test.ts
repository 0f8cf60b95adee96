import { promises as fsp, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { objectFs } from '../../../reconciler/source/git/object-fs.js'

const test = suite('objectFs: loose object reads answered from listings')

const LOOSE = 'ab' + 'c'.repeat(38)
const OTHER_IN_DIR = 'ab' + 'd'.repeat(38)
const IN_ABSENT_DIR = 'cd' + 'e'.repeat(38)

/** A git directory with one loose object (ab/ccc…) and an empty pack directory. */
function gitdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-object-fs-'))
  mkdirSync(join(dir, 'objects', 'ab'), { recursive: true })
  mkdirSync(join(dir, 'objects', 'pack'))
  writeFileSync(join(dir, 'objects', 'ab', LOOSE.slice(2)), 'loose')
  return dir
}

/** Runs `fn` counting the directories fs.promises.readdir lists. */
async function countingReaddir<T>(fn: () => Promise<T>): Promise<{ out: T; listed: string[] }> {
  const listed: string[] = []
  const orig = fsp.readdir
  fsp.readdir = ((path: string, ...rest: unknown[]) => (listed.push(path), (orig as (...a: unknown[]) => unknown)(path, ...rest))) as typeof fsp.readdir
  try {
    return { out: await fn(), listed }
  } finally {
    fsp.readdir = orig
  }
}

const objectPath = (dir: string, oid: string) => join(dir, 'objects', oid.slice(0, 2), oid.slice(2))

const cases: Array<{ name: string; oid: string; found: boolean; listed: string[] }> = [
  { name: 'a listed loose object is read', oid: LOOSE, found: true, listed: ['objects', 'objects/ab'] },
  { name: 'an object absent from an existing fan-out directory fails with ENOENT', oid: OTHER_IN_DIR, found: false, listed: ['objects', 'objects/ab'] },
  { name: 'an object of an absent fan-out directory fails without listing it', oid: IN_ABSENT_DIR, found: false, listed: ['objects'] },
]

for (const c of cases) {
  test(c.name, async () => {
    const dir = gitdir()
    try {
      const { client } = objectFs(dir)
      const { out, listed } = await countingReaddir(() =>
        client.promises.readFile(objectPath(dir, c.oid)).then(
          (b: Buffer | string) => String(b),
          (err: { code?: string }) => err.code,
        ),
      )
      assert.is(out, c.found ? 'loose' : 'ENOENT')
      assert.equal(listed.map((p) => p.slice(dir.length + 1)), c.listed)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

test('refresh() sees a fan-out directory written by someone else', async () => {
  const dir = gitdir()
  try {
    const fs = objectFs(dir)
    const read = () => fs.client.promises.readFile(objectPath(dir, IN_ABSENT_DIR)).then(String, (err: { code?: string }) => err.code)
    assert.is(await read(), 'ENOENT')
    mkdirSync(join(dir, 'objects', 'cd'))
    writeFileSync(objectPath(dir, IN_ABSENT_DIR), 'new')
    assert.is(await read(), 'ENOENT')
    fs.refresh()
    assert.is(await read(), 'new')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a loose object written through the client is read back', async () => {
  const dir = gitdir()
  try {
    const { client } = objectFs(dir)
    const read = () => client.promises.readFile(objectPath(dir, IN_ABSENT_DIR)).then(String, (err: { code?: string }) => err.code)
    assert.is(await read(), 'ENOENT')
    await client.promises.mkdir(join(dir, 'objects', 'cd'))
    await client.promises.writeFile(objectPath(dir, IN_ABSENT_DIR), 'mine')
    assert.is(await read(), 'mine')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
