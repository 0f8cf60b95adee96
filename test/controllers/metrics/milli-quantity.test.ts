import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { formatMilli, milliValue } from '../../../reconciler/controllers/metrics/milli-quantity.js'

const Milli = suite('metrics: milliValue (Quantity.MilliValue, rounded up)')
const milliCases: Array<{ name: string; q: unknown; want: number | undefined }> = [
  { name: 'millicores', q: '650m', want: 650 },
  { name: 'whole cores', q: '8', want: 8000 },
  { name: 'decimal fraction, exactly', q: '0.1', want: 100 },
  { name: 'binary suffix', q: '1Mi', want: 1048576000 },
  { name: 'decimal suffix', q: '2k', want: 2000000 },
  { name: 'exponent', q: '1e3', want: 1000000 },
  { name: 'below a milli rounds up', q: '1500u', want: 2 },
  { name: 'a JSON number', q: 2, want: 2000 },
  { name: 'zero', q: '0', want: 0 },
  { name: 'not a quantity', q: 'lots', want: undefined },
  { name: 'empty', q: '', want: undefined },
]
for (const c of milliCases) Milli(c.name, () => assert.is(milliValue(c.q), c.want))
Milli.run()

const Format = suite('metrics: formatMilli (NewMilliQuantity(v, DecimalSI).String())')
const formatCases: Array<{ name: string; milli: number; want: string }> = [
  { name: 'millis stay millis', milli: 800, want: '800m' },
  { name: 'whole units', milli: 8000, want: '8' },
  { name: 'kilo when exact', milli: 2_000_000, want: '2k' },
  { name: 'bytes that are not a multiple of 1000', milli: 104857600000, want: '104857600' },
  { name: 'zero', milli: 0, want: '0' },
]
for (const c of formatCases) Format(c.name, () => assert.is(formatMilli(c.milli), c.want))
Format.run()
