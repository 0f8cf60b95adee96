/**
 * Objects a sync creates are new to the state: the controllers' event recorders look for no
 * earlier Events about them (each look-up reads the state; a cold sync of 2,500 Deployments made
 * 2,500 of them). (Objects from before the process are looked up once each: see the recorder's tests.)
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { commit, harness } from '../harness.js'

const test = suite('gitops sync: objects the sync created are born here')

const deployment = (name: string, image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: "${image}"}]
`

test('no look-up for the Deployments a sync creates', async () => {
  const h = await harness([{ files: { 'apps/a.yaml': deployment('a', 'nginx:1.25'), 'apps/b.yaml': deployment('b', 'nginx:1.25') }, message: 'two apps' }])
  try {
    const lookups: string[] = []
    const named = h.api.eventsNamedFor.bind(h.api)
    h.api.eventsNamedFor = (ns, name) => (lookups.push(`${ns}/${name}`), named(ns, name))
    assert.is((await h.sync()).result, 'Succeeded')
    assert.equal(lookups, [])
    // A second sync in the same process: the Deployments are still its own.
    commit(h, { 'apps/a.yaml': deployment('a', 'nginx:1.27') }, 'roll a')
    assert.is((await h.sync()).result, 'Succeeded')
    assert.equal(lookups, [], 'the same process: still its own')
  } finally {
    await h.close()
  }
})

test.run()
