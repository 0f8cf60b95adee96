/** Key order (UTF-8 bytes), prefix ends and continue tokens. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decodeContinue, encodeContinue } from '../../reconciler/storage/continue-token.js'
import { compareKeys, prefixEnd } from '../../reconciler/storage/key-order.js'
import { isStorageError } from '../../reconciler/storage/types.js'

const order = suite('compareKeys')

order('orders keys by their UTF-8 bytes', () => {
  const cases = [
    { name: 'ascii', a: '/a/1', b: '/a/10', sign: -1 },
    { name: 'prefix first', a: '/a', b: '/a/', sign: -1 },
    { name: 'equal', a: '/x', b: '/x', sign: 0 },
    { name: 'BMP above surrogates sorts before astral', a: '\uffff', b: '😀', sign: -1 },
    { name: 'astral after U+E000', a: '😀', b: '\ue000', sign: 1 },
    { name: 'é (C3 A9) after z', a: 'é', b: 'z', sign: 1 },
  ]
  for (const c of cases) {
    assert.is(Math.sign(compareKeys(c.a, c.b)), c.sign, c.name)
    assert.is(Math.sign(Buffer.compare(Buffer.from(c.a), Buffer.from(c.b))), c.sign, `${c.name} (bytes agree)`)
  }
})

order.run()

const end = suite('prefixEnd')

end('is the first key past every key with the prefix', () => {
  const cases = [
    { name: 'ascii', prefix: '/a/', end: '/a0' },
    { name: 'empty: no end', prefix: '', end: undefined },
    { name: 'before the surrogate gap', prefix: 'a\ud7ff', end: 'a\ue000' },
    { name: 'last code point carries', prefix: 'a\u{10ffff}', end: 'b' },
    { name: 'only U+10FFFF: no end', prefix: '\u{10ffff}', end: undefined },
  ]
  for (const c of cases) assert.is(prefixEnd(c.prefix), c.end, c.name)
})

end.run()

const token = suite('continue tokens')

token('round-trip and refuse tampering', () => {
  const t = encodeContinue({ lastKey: '/p/b', revision: 7 })
  assert.equal(decodeContinue(t, '/p/'), { lastKey: '/p/b', revision: 7 })
  const bad = [
    { name: 'other prefix', token: t, prefix: '/q/' },
    { name: 'not base64 json', token: '%%%', prefix: '' },
    { name: 'no revision', token: Buffer.from(JSON.stringify({ v: 'capstan/storage/v1', start: '/p/b\u0000' })).toString('base64'), prefix: '' },
    { name: 'wrong version', token: Buffer.from(JSON.stringify({ v: 'x', rv: 1, start: '/p/b\u0000' })).toString('base64'), prefix: '' },
  ]
  for (const c of bad) {
    try {
      decodeContinue(c.token, c.prefix)
      assert.unreachable(c.name)
    } catch (err) {
      assert.ok(isStorageError(err, 'InvalidContinue'), c.name)
    }
  }
})

token.run()
