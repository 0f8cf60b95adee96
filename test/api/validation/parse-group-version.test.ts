/** parseGroupVersion (object-meta.ts) against the split-based code it replaced, on generated strings. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseGroupVersion } from '../../../reconciler/api/validation/object-meta.js'

const test = suite('parseGroupVersion')

/** The previous code, frozen as the reference. */
function reference(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' }
  const parts = apiVersion.split('/')
  if (parts.length === 1) return { group: '', version: apiVersion }
  if (parts.length === 2) return { group: parts[0], version: parts[1] }
  return { group: '', version: '' }
}

test('named cases', () => {
  const cases: Array<{ name: string; input: string; want: { group: string; version: string } }> = [
    { name: 'core', input: 'v1', want: { group: '', version: 'v1' } },
    { name: 'group', input: 'apps/v1', want: { group: 'apps', version: 'v1' } },
    { name: 'empty', input: '', want: { group: '', version: '' } },
    { name: 'slash', input: '/', want: { group: '', version: '' } },
    { name: 'trailing slash', input: 'apps/', want: { group: 'apps', version: '' } },
    { name: 'leading slash', input: '/v1', want: { group: '', version: 'v1' } },
    { name: 'two slashes', input: 'a/b/c', want: { group: '', version: '' } },
  ]
  for (const c of cases) assert.equal(parseGroupVersion(c.input), c.want, c.name)
})

test('every string of up to 5 characters over "a/1" matches the reference', () => {
  const alphabet = ['a', '/', '1']
  let strings = ['']
  const all = ['']
  for (let len = 1; len <= 5; len++) {
    strings = strings.flatMap((s) => alphabet.map((c) => s + c))
    all.push(...strings)
  }
  for (const s of all) assert.equal(parseGroupVersion(s), reference(s), JSON.stringify(s))
})

test.run()
