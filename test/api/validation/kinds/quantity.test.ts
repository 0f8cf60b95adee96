import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { compareQuantities, parseQuantity } from '../../../../reconciler/api/validation/kinds/quantity.js'

const test = suite('kinds: parseQuantity')

const valid: Array<{ name: string; q: string | number; want: number }> = [
  { name: 'millicores', q: '100m', want: 0.1 },
  { name: 'whole cores', q: '1', want: 1 },
  { name: 'fractional cores', q: '1.5', want: 1.5 },
  { name: 'leading dot', q: '.5', want: 0.5 },
  { name: 'gibibytes', q: '2Gi', want: 2 * 1024 ** 3 },
  { name: 'mebibytes', q: '500Mi', want: 500 * 1024 ** 2 },
  { name: 'kibibytes', q: '64Ki', want: 65536 },
  { name: 'exponent', q: '1e3', want: 1000 },
  { name: 'negative exponent', q: '5E-1', want: 0.5 },
  { name: 'kilo', q: '1k', want: 1000 },
  { name: 'mega', q: '128M', want: 128e6 },
  { name: 'exa', q: '1E', want: 1e18 },
  { name: 'micro', q: '250u', want: 0.00025 },
  { name: 'nano', q: '1n', want: 1e-9 },
  { name: 'signed', q: '+2', want: 2 },
  { name: 'negative', q: '-1Mi', want: -(1024 ** 2) },
  { name: 'a JSON number', q: 0.25, want: 0.25 },
]
for (const c of valid) {
  test(`parses ${c.name} (${c.q})`, () => {
    const got = parseQuantity(c.q)
    assert.ok(got !== undefined && compareQuantities(got, c.want) === 0, `${c.q} → ${got}, want ${c.want}`)
  })
}

const invalid = ['', 'abc', '1 k', '1KB', '1kb', '1.2.3', 'Gi', '1e', '1Ki5', '--1', '1iB', ' 1']
for (const q of invalid) test(`rejects ${JSON.stringify(q)}`, () => assert.is(parseQuantity(q), undefined))

test('compareQuantities tolerates float error', () => {
  assert.is(compareQuantities(parseQuantity('100m')!, parseQuantity('0.1')!), 0)
  assert.is(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1000Mi')!), 1)
  assert.is(compareQuantities(parseQuantity('999m')!, 1), -1)
})

test.run()
