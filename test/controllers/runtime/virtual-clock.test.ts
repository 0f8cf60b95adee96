/** VirtualClock: timers fire in time order at their own due time; advanceTo ends at the target. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { WallClock } from '../../../reconciler/controllers/runtime/wall-clock.js'
import { at, START } from './fixture.js'

const test = suite('virtual clock')

test('fires due timers in time order, each seeing its own due time', () => {
  const clock = new VirtualClock(START)
  const seen: Array<[string, number]> = []
  const rec = (name: string) => () => seen.push([name, clock.now().getTime() - START.getTime()])
  clock.at(at(300), rec('c'))
  clock.at(at(100), rec('a'))
  clock.at(at(100), rec('a2'))
  clock.at(at(200), () => {
    rec('b')()
    clock.at(at(250), rec('b-child'))
    clock.at(at(5000), rec('late'))
  })
  assert.equal(clock.nextTimer(), at(100))
  clock.advanceTo(at(1000))
  assert.equal(seen, [
    ['a', 100],
    ['a2', 100],
    ['b', 200],
    ['b-child', 250],
    ['c', 300],
  ])
  assert.equal(clock.now(), at(1000))
  assert.equal(clock.nextTimer(), at(5000))
})

test('cases: at() for a reached time, cancel, set, backwards', () => {
  const cases: Array<{ name: string; run: (c: VirtualClock) => unknown; want: unknown }> = [
    {
      name: 'a time already reached fires at once',
      run: (c) => {
        let fired = false
        c.at(START, () => (fired = true))
        return fired
      },
      want: true,
    },
    {
      name: 'a cancelled timer never fires',
      run: (c) => {
        let fired = false
        const cancel = c.at(at(10), () => (fired = true))
        cancel()
        c.advanceTo(at(20))
        return [fired, c.nextTimer()]
      },
      want: [false, undefined],
    },
    {
      name: 'set moves time without firing timers',
      run: (c) => {
        let fired = false
        c.at(at(10), () => (fired = true))
        c.set(at(50))
        return [fired, c.now().getTime() - START.getTime()]
      },
      want: [false, 50],
    },
    {
      name: 'advancing backwards is a RangeError',
      run: (c) => {
        try {
          c.advanceTo(at(-1))
          return 'no error'
        } catch (err) {
          return (err as Error).name
        }
      },
      want: 'RangeError',
    },
  ]
  for (const c of cases) assert.equal(c.run(new VirtualClock(START)), c.want, c.name)
})

test('the wall clock fires its timers (unref’d) and cancels them', async () => {
  const clock = new WallClock()
  const fired: string[] = []
  clock.at(new Date(Date.now() + 5), () => fired.push('later'))
  const cancel = clock.at(new Date(Date.now() + 5), () => fired.push('cancelled'))
  cancel()
  clock.at(new Date(0), () => fired.push('now'))
  assert.equal(fired, ['now'])
  await new Promise((r) => setTimeout(r, 30))
  assert.equal(fired, ['now', 'later'])
})

test.run()
