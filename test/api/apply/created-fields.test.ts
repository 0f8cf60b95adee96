/** The create fast path of managed fields gives exactly what the general path gives. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { isNormalFieldsV1 } from '../../../reconciler/api/apply/field-set.js'
import { decodeManagedFields, type ManagedFieldsEntry } from '../../../reconciler/api/apply/managed-fields.js'
import { trackUpdate } from '../../../reconciler/api/apply/track-update.js'
import { convertToStored } from '../../../reconciler/api/convert.js'
import { applyDefaults } from '../../../reconciler/api/defaults/index.js'
import { apiVersionOf, kindByName } from '../../../reconciler/api/kinds.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { typeNodeFor } from '../../../reconciler/api/schema/index.js'
import { projectRoot } from '../../../reconciler/paths.js'
import { parseManifests } from '../../../reconciler/source/render/index.js'

const test = suite('managed fields of a create: fast path = general path')
const now = new Date('2026-11-23T00:00:00Z')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(f) ? [p] : []
  })
}

const objects: KObject[] = []
for (const f of files(join(projectRoot(), 'manifests'))) {
  for (const m of parseManifests(readFileSync(f, 'utf8'), f).objects) objects.push(m.object as KObject)
}
objects.push(
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'x' }, annotations: { 'a/b': 'c' }, finalizers: ['example.com/f'] },
    spec: {
      containers: [
        { name: 'a', image: 'i', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }], env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], args: ['--x', '--y'] },
        { name: 'b', image: 'j', resources: { limits: { cpu: '1' } }, livenessProbe: { httpGet: { path: '/', port: 80 } } },
      ],
      volumes: [{ name: 'v', configMap: { name: 'cm', items: [{ key: 'k', path: 'p' }] } }],
      tolerations: [{ key: 'k', operator: 'Exists' }],
    },
    status: { phase: 'Running' },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', labels: {} }, data: { 'a.b': '1', 'a<b>': '2' } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] }, status: { capacity: { cpu: '2' } } },
)

for (const [i, raw] of objects.entries()) {
  test(`${raw.kind} ${raw.metadata?.name ?? i}`, () => {
    const obj = structuredClone(raw)
    const k = kindByName(obj.kind)!
    convertToStored(obj, apiVersionOf(k))
    obj.metadata.namespace ??= k.namespaced ? 'default' : undefined
    applyDefaults(obj)
    const o = { updated: obj, manager: 'm', typeNode: typeNodeFor(k.kind), apiVersion: apiVersionOf(k), now }
    const fast = trackUpdate(o)
    const general = trackUpdate({ ...o, resetFields: [[{ field: 'status' }]] })
    assert.is(JSON.stringify(fast), JSON.stringify(general))
    assert.ok(fast.length === 1 || obj.kind === 'ConfigMap')
    if (fast.length) {
      // The created fieldsV1 is in FieldSet's own form (trackUpdate reads it lazily without checking),
      // and the decoding trackUpdate remembers for the list is what decoding a copy of it gives.
      assert.ok(isNormalFieldsV1(fast[0].fieldsV1, true), 'normal form')
      const shown = (list: ManagedFieldsEntry[]): string =>
        JSON.stringify([...decodeManagedFields(list)].map(([key, m]) => [key, m.manager, m.operation, m.apiVersion, m.subresource, m.time, m.set.toFieldsV1(), m.set.paths()]))
      assert.is(shown(fast), shown(JSON.parse(JSON.stringify(fast)) as ManagedFieldsEntry[]))
    }
  })
}

test.run()
