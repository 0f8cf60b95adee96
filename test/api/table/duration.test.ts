import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { humanDuration, shortHumanDuration, translateTimestampSince } from '../../../reconciler/api/table/index.js'

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H, Y = 365 * D

const human = suite('duration: HumanDuration boundaries')
const humanCases: Array<{ name: string; ms: number; want: string }> = [
  { name: '2s in the future is invalid', ms: -2 * S, want: '<invalid>' },
  { name: 'under 2s in the future is 0s', ms: -1999, want: '0s' },
  { name: 'zero', ms: 0, want: '0s' },
  { name: '119s stays seconds', ms: 119 * S, want: '119s' },
  { name: '120s is 2m', ms: 120 * S, want: '2m' },
  { name: '2m1s', ms: 121 * S, want: '2m1s' },
  { name: '9m59s', ms: 10 * M - S, want: '9m59s' },
  { name: '10m drops seconds', ms: 10 * M + 30 * S, want: '10m' },
  { name: '179m', ms: 3 * H - S, want: '179m' },
  { name: '3h', ms: 3 * H, want: '3h' },
  { name: '3h5m', ms: 3 * H + 5 * M, want: '3h5m' },
  { name: '7h59m', ms: 8 * H - S, want: '7h59m' },
  { name: '8h drops minutes', ms: 8 * H + 59 * M, want: '8h' },
  { name: '47h', ms: 48 * H - S, want: '47h' },
  { name: '2d', ms: 48 * H, want: '2d' },
  { name: '2d5h', ms: 53 * H, want: '2d5h' },
  { name: '7d23h', ms: 8 * D - S, want: '7d23h' },
  { name: '8d drops hours', ms: 8 * D + 5 * H, want: '8d' },
  { name: '729d', ms: 2 * Y - S, want: '729d' },
  { name: '2y', ms: 2 * Y, want: '2y' },
  { name: '2y3d', ms: 2 * Y + 3 * D, want: '2y3d' },
  { name: '8y', ms: 8 * Y + 40 * D, want: '8y' },
]
for (const c of humanCases) human(c.name, () => assert.is(humanDuration(c.ms), c.want))
human.run()

const short = suite('duration: ShortHumanDuration boundaries')
const shortCases: Array<{ name: string; ms: number; want: string }> = [
  { name: 'invalid', ms: -5 * S, want: '<invalid>' },
  { name: '-1s is 0s', ms: -S, want: '0s' },
  { name: '59s', ms: 59 * S, want: '59s' },
  { name: '1m', ms: 60 * S, want: '1m' },
  { name: '59m', ms: H - S, want: '59m' },
  { name: '23h', ms: D - S, want: '23h' },
  { name: '364d', ms: Y - S, want: '364d' },
  { name: '1y', ms: Y, want: '1y' },
]
for (const c of shortCases) short(c.name, () => assert.is(shortHumanDuration(c.ms), c.want))
short.run()

const since = suite('duration: translateTimestampSince uses the given clock')
since('age from now, never from Date.now()', () => {
  assert.is(translateTimestampSince('2020-01-01T00:00:00Z', new Date('2020-01-01T00:05:30Z')), '5m30s')
})
since('missing or null timestamp is <unknown>', () => {
  assert.is(translateTimestampSince(null, new Date()), '<unknown>')
  assert.is(translateTimestampSince(undefined, new Date()), '<unknown>')
})
since.run()
