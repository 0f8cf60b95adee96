import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { goDuration, IpAllocator, pullBackoffMs } from '../../../reconciler/controllers/kubelet/index.js'

const Fmt = suite('kubelet: formats and arithmetic')

for (const c of [
  { ms: 0, s: '0s' },
  { ms: 1, s: '1ms' },
  { ms: 1200, s: '1.2s' },
  { ms: 3000, s: '3s' },
  { ms: 63_000, s: '1m3s' },
  { ms: 3_723_000, s: '1h2m3s' },
  { ms: 1_234, s: '1.234s' },
]) {
  Fmt(`goDuration ${c.ms}`, () => assert.is(goDuration(c.ms), c.s))
}

Fmt('pull back-off: 10 s doubling to 300 s', () => {
  assert.equal([1, 2, 3, 4, 5, 6, 7, 10].map(pullBackoffMs), [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000])
})

Fmt('IP allocator: stable per uid, no collisions, skips network/gateway/broadcast', () => {
  const a = new IpAllocator()
  const ip = a.allocate('uid-1', '10.244.0.0/30')
  assert.is(ip, '10.244.0.2')
  assert.is(a.allocate('uid-1', '10.244.0.0/30'), ip)
  let threw = false
  try {
    a.allocate('uid-2', '10.244.0.0/30')
  } catch {
    threw = true
  }
  assert.ok(threw, 'a /30 has one usable pod address')
  a.release('uid-1')
  assert.is(a.allocate('uid-2', '10.244.0.0/30'), '10.244.0.2')
  const b = new IpAllocator()
  assert.is(b.allocate('same', '10.244.0.0/16'), new IpAllocator().allocate('same', '10.244.0.0/16'))
})

Fmt.run()
