/** Names from generateName: utilrand.String's alphabet and its uniform distribution. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { generateName, randomSuffix } from '../../reconciler/api/strategy.js'

const test = suite('strategy: generateName')

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

test('a 5-character suffix of the alphabet after the prefix, cut to 58 characters', () => {
  const cases: Array<{ name: string; prefix: string; base: string }> = [
    { name: 'short prefix', prefix: 'web-abc-', base: 'web-abc-' },
    { name: 'empty prefix', prefix: '', base: '' },
    { name: 'long prefix cut', prefix: 'x'.repeat(70), base: 'x'.repeat(58) },
  ]
  for (const c of cases) {
    const name = generateName(c.prefix)
    assert.is(name.length, c.base.length + 5, c.name)
    assert.ok(name.startsWith(c.base), c.name)
    assert.ok([...name.slice(c.base.length)].every((ch) => ALPHABET.includes(ch)), c.name)
  }
})

test('each draw is a 5-bit index, drawn again when outside the alphabet (as utilrand.String)', () => {
  const cases: Array<{ name: string; draws: number[]; suffix: string }> = [
    { name: 'indexes in range', draws: [0, 1, 2, 25, 26], suffix: 'bcd89' },
    { name: 'only the low 5 bits count', draws: [32, 33, 0xff - 5, 64, 96], suffix: 'bc9bb' },
    { name: '27 to 31 are drawn again', draws: [27, 31, 0, 28, 1, 29, 30, 2, 3, 4], suffix: 'bcdfg' },
  ]
  for (const c of cases) {
    let i = 0
    assert.is(randomSuffix(5, () => c.draws[i++]), c.suffix, c.name)
  }
})

test('every character about equally often (no modulo bias)', () => {
  const counts = new Map<string, number>()
  for (let i = 0; i < 60_000; i++) for (const ch of generateName('')) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  assert.is(counts.size, ALPHABET.length)
  const values = [...counts.values()]
  // 300,000 characters, 11,111 expected each (sd ≈ 104, under 1 %); a byte modulo 27 would give 13 of them 10/9 of the others.
  assert.ok(Math.max(...values) / Math.min(...values) < 1.07, `counts ${values.join(',')}`)
})

test.run()
