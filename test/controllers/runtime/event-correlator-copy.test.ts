import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { CoreEvent } from '../../../reconciler/controllers/runtime/core-event.js'
import { EventCorrelator } from '../../../reconciler/controllers/runtime/event-correlator.js'

/** The text and the key order of every level. */
const text = (v: unknown): string => JSON.stringify(v)
const now = new Date('2026-01-01T00:00:05Z')

const Repeat = suite('runtime: the correlator\'s repeat event is the spread it was (copyOf)')

Repeat('the correlator\'s repeat: metadata keeps name in place, resourceVersion last', () => {
  const c = new EventCorrelator()
  const ev = (): CoreEvent =>
    ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'x.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' },
      reason: 'Pulled',
      message: 'm',
      source: { component: 'kubelet' },
      firstTimestamp: 't0',
      lastTimestamp: 't1',
      count: 1,
      type: 'Normal',
    }) as CoreEvent
  c.updateState({ ...ev(), metadata: { name: 'x.0', namespace: 'default', resourceVersion: '5' } } as CoreEvent)
  const r = c.correlate(ev(), now, (n) => `${n}.2`)
  assert.is(text(r.event.metadata), text({ name: 'x.0', namespace: 'default', resourceVersion: '5' }))
  assert.equal(Object.keys(r.event), Object.keys(ev()))
  assert.equal(r.patch, { count: 2, lastTimestamp: 't1', message: 'm' })
  // No resourceVersion recorded: the key is left out, as before.
  const d = new EventCorrelator()
  d.updateState({ ...ev(), metadata: { name: 'x.0', namespace: 'default' } } as CoreEvent)
  assert.is(text(d.correlate(ev(), now, (n) => `${n}.2`).event.metadata), text({ name: 'x.0', namespace: 'default' }))
})
Repeat.run()
