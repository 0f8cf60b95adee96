/**
 * The stored text of an object is exactly JSON.stringify of it without metadata.resourceVersion,
 * also for writes that share parts with the stored version (status writes, bindings, deletes).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { encodeObject } from '../../reconciler/api/codec.js'
import { objectStorageKey } from '../../reconciler/api/keys.js'
import { kindByName } from '../../reconciler/api/kinds.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('codec')

/** What the store held before the encoder built text member by member. */
function reference(obj: KObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata
  return JSON.stringify({ ...obj, metadata: meta })
}

const fields = { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } }

test('encodeObject is JSON.stringify without resourceVersion', () => {
  const proto = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>
  const cases: Array<{ name: string; obj: KObject }> = [
    { name: 'plain', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '7' }, data: { k: 'v' } } },
    { name: 'undefined members and array items', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: undefined }, data: undefined, list: [1, undefined, { x: undefined }] } },
    { name: 'keys that need escaping', obj: { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', annotations: { 'a"b\\c\u2028': 'é\u0000' } }, 'we"ird': { '\n': null } } },
    { name: 'a __proto__ key kept as data', obj: { apiVersion: 'v1', kind: 'X', metadata: { name: 'a' }, spec: proto } },
    { name: 'resourceVersion in the middle of metadata', obj: { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', resourceVersion: '3', uid: 'u' } } },
    { name: 'metadata only', obj: { apiVersion: 'v1', kind: 'X', metadata: {} } },
    {
      name: 'managed fields, first in metadata, with odd entries',
      obj: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          managedFields: [
            { manager: 'a', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: fields, subresource: 'status' },
            { manager: 'b', fieldsV1: undefined },
            null as never,
            { fieldsV1: [] as never },
          ],
          name: 'p',
          resourceVersion: '1',
        },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
    },
    { name: 'managedFields not a list', obj: { apiVersion: 'v1', kind: 'X', metadata: { managedFields: { x: 1 } as never } } },
  ]
  for (const c of cases) {
    assert.is(encodeObject(c.obj), reference(c.obj), c.name)
  }
})

test('writes that share the stored parts store the same bytes as a full encoding', async () => {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage, now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  await api.list('pods')
  const key = objectStorageKey(kindByName('Pod')!, 'default', 'p')
  const stored = async (): Promise<string> => (await storage.get(key))!.value
  const check = async (what: string): Promise<void> => {
    const cached = await api.get('pods', 'default', 'p')
    assert.is(await stored(), reference(cached), what)
  }
  const created = await api.create(
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    { fieldManager: 'creator' },
  )
  await check('create')
  // The caller owns what create returned: changing it must not change what is stored next.
  ;(created.spec as { containers: Array<{ image: string }> }).containers[0].image = 'changed'
  await api.bind('default', 'p', 'node-1')
  await check('bind')
  const pod = await api.get('pods', 'default', 'p')
  await api.updateStatus({ ...pod, status: { ...(pod.status as object), phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }] } }, { fieldManager: 'kubelet' })
  await check('status write')
  await api.delete('pods', 'default', 'p', {})
  await check('graceful delete')
  const running = await api.get('pods', 'default', 'p')
  assert.is((running.spec as { containers: Array<{ image: string }> }).containers[0].image, 'nginx')
  await api.updateStatus({ ...running, status: { ...(running.status as object), phase: 'Succeeded' } }, { fieldManager: 'kubelet' })
  await check('status write after the delete')
})

test.run()
