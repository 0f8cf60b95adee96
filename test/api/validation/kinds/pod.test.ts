import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCases, validate } from './cases.js'
import { pod } from './fixtures.js'

const test = suite('kinds: Pod update')

runCases(test, pod, [
  {
    name: 'changing a container command is forbidden',
    update: true,
    mutate: (o) => (o.spec.containers[0].command = ['nginx', '-g', 'daemon off;']),
    field: 'spec',
    reason: 'FieldValueForbidden',
  },
  {
    name: 'removing a toleration is forbidden',
    update: true,
    mutate: (o) => (o.spec.tolerations = []),
    field: 'spec.tolerations',
    reason: 'FieldValueForbidden',
  },
])

test('moving a bound pod to another node is forbidden', () => {
  const before = pod()
  ;(before.spec as Record<string, unknown>).nodeName = 'node-1'
  const now = pod()
  ;(now.spec as Record<string, unknown>).nodeName = 'node-2'
  assert.ok(validate(now, before).some((c) => c.field === 'spec' && c.reason === 'FieldValueForbidden'))
})

test('image, activeDeadlineSeconds, added tolerations and a first nodeName may change', () => {
  const now = pod() as any // eslint-disable-line @typescript-eslint/no-explicit-any -- fixture JSON
  now.spec.containers[0].image = 'nginx:1.28'
  now.spec.activeDeadlineSeconds = 600
  now.spec.tolerations.push({ key: 'spot', operator: 'Exists', effect: 'NoSchedule' })
  now.spec.nodeName = 'node-1'
  assert.equal(validate(now, pod()), [])
})

test('a pod with restartPolicy OnFailure is fine (only controllers need Always)', () => {
  const p = pod() as any // eslint-disable-line @typescript-eslint/no-explicit-any -- fixture JSON
  p.spec.restartPolicy = 'OnFailure'
  assert.equal(validate(p), [])
})

test.run()
