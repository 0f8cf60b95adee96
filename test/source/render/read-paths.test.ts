import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readManifestPaths } from '../../../reconciler/source/render/index.js'

const read = suite('readManifestPaths')

let dir = ''
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`
const names = (objects: { object: Record<string, unknown> }[]) => objects.map((o) => (o.object.metadata as { name: string }).name)

read.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'capstan-render-'))
  const put = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  put('app/b.yaml', cm('b'))
  put('app/a.yml', cm('a'))
  put('app/C.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c-json' } }))
  put('app/notes.txt', cm('ignored-txt'))
  put('app/README.md', '# not a manifest\n')
  put('app/sub/d.yaml', cm('d'))
  put('app/sub/deeper/e.yaml', cm('e'))
  put('app/.git/config.yaml', cm('never'))
  put('plain-named', cm('named-explicitly'))
  symlinkSync(join(dir, 'app/b.yaml'), join(dir, 'app/z-link.yaml'))
})

read.after(() => rmSync(dir, { recursive: true, force: true }))

read('a directory: its manifest files, sorted by name (byte order), not recursive', async () => {
  const r = await readManifestPaths([join(dir, 'app')])
  assert.equal(r.errors, [])
  assert.equal(names(r.objects), ['c-json', 'a', 'b', 'b'])
  assert.equal(r.files.map((f) => f.slice(dir.length + 1)), ['app/C.json', 'app/a.yml', 'app/b.yaml', 'app/z-link.yaml'])
})

read('recursive: subdirectories in name order, never .git', async () => {
  const r = await readManifestPaths([join(dir, 'app')], { recursive: true })
  assert.equal(names(r.objects), ['c-json', 'a', 'b', 'd', 'e', 'b'])
})

read('a file named explicitly is read whatever its extension', async () => {
  const r = await readManifestPaths([join(dir, 'plain-named'), join(dir, 'app/notes.txt')])
  assert.equal(names(r.objects), ['named-explicitly', 'ignored-txt'])
})

read('- reads standard input, named STDIN', async () => {
  const r = await readManifestPaths(['-'], { stdin: async () => cm('from-stdin') + '---\n' + cm('second') })
  assert.equal(names(r.objects), ['from-stdin', 'second'])
  assert.equal(r.objects.map((o) => [o.file, o.doc]), [
    ['STDIN', 0],
    ['STDIN', 1],
  ])
})

read('a missing path is an error naming it; the other paths are still read', async () => {
  const missing = join(dir, 'nope.yaml')
  const r = await readManifestPaths([missing, join(dir, 'app/a.yml')])
  assert.equal(r.errors, [{ file: missing, code: 'PathNotFound', message: `the path "${missing}" does not exist` }])
  assert.equal(names(r.objects), ['a'])
})

read.run()
