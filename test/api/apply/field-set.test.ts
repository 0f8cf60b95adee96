import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FieldSet } from '../../../reconciler/api/apply/field-set.js'
import {
  deserializePathElement,
  keyPe,
  parsePath,
  pathString,
  serializePathElement,
  type Path,
} from '../../../reconciler/api/apply/path-element.js'
import { ensureNamedFieldsAreMembers, fieldSetOf } from '../../../reconciler/api/apply/to-field-set.js'
import { deployment } from './types.js'

const P = (s: string): Path => parsePath(s)

// Real managedFields[].fieldsV1 values written by kube-apiserver (kubectl create, kube-controller-manager, kubectl apply).
const realExamples: Array<{ name: string; fields: unknown }> = [
  {
    name: 'kubectl create deployment (Update)',
    fields: {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:progressDeadlineSeconds': {},
        'f:replicas': {},
        'f:revisionHistoryLimit': {},
        'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:imagePullPolicy': {},
                'f:name': {},
                'f:ports': {
                  '.': {},
                  'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
                },
                'f:resources': {},
                'f:terminationMessagePath': {},
                'f:terminationMessagePolicy': {},
              },
            },
            'f:dnsPolicy': {},
            'f:restartPolicy': {},
            'f:schedulerName': {},
            'f:securityContext': {},
            'f:terminationGracePeriodSeconds': {},
          },
        },
      },
    },
  },
  {
    name: 'kube-controller-manager status (Update, subresource status)',
    fields: {
      'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } },
      'f:status': {
        'f:availableReplicas': {},
        'f:conditions': {
          '.': {},
          'k:{"type":"Available"}': { '.': {}, 'f:lastTransitionTime': {}, 'f:lastUpdateTime': {}, 'f:message': {}, 'f:reason': {}, 'f:status': {}, 'f:type': {} },
          'k:{"type":"Progressing"}': { '.': {}, 'f:lastTransitionTime': {}, 'f:lastUpdateTime': {}, 'f:message': {}, 'f:reason': {}, 'f:status': {}, 'f:type': {} },
        },
        'f:observedGeneration': {},
        'f:readyReplicas': {},
        'f:replicas': {},
        'f:updatedReplicas': {},
      },
    },
  },
  {
    name: 'kubectl apply of a pod (Apply), set list and env',
    fields: {
      'f:metadata': { 'f:finalizers': { 'v:"example.com/a"': {} }, 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:args': {},
            'f:env': { 'k:{"name":"MODE"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
            'f:image': {},
            'f:name': {},
          },
        },
      },
    },
  },
]

const fieldsV1 = suite('fieldsV1')

for (const ex of realExamples) {
  fieldsV1(`round trip: ${ex.name}`, () => {
    const set = FieldSet.fromFieldsV1(ex.fields)
    assert.equal(set.toFieldsV1(), ex.fields)
    assert.ok(FieldSet.fromFieldsV1(set.toFieldsV1()).equals(set))
  })
}

fieldsV1('encodes in kube-apiserver order: sorted elements, "." last', () => {
  const set = FieldSet.of(P('.metadata.labels'), P('.metadata.labels.app'), P('.data.b'), P('.data.a'))
  assert.is(JSON.stringify(set.toFieldsV1()), '{"f:data":{"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{"f:app":{},".":{}}}}')
})

fieldsV1('fields sort before keys, keys before values', () => {
  const set = new FieldSet()
  set.insert([{ field: 'x' }, { value: 'a' }])
  set.insert([{ field: 'x' }, keyPe({ name: 'b' })])
  set.insert([{ field: 'x' }, { field: 'z' }])
  assert.equal(Object.keys(set.toFieldsV1()['f:x']), ['f:z', 'k:{"name":"b"}', 'v:"a"'])
})

fieldsV1('reads members, children and "." as SMD does; skips unknown element types', () => {
  const set = FieldSet.fromFieldsV1({ 'f:a': { '.': {}, 'f:b': {} }, 'f:c': {}, 'z:weird': {} })
  assert.equal(set.paths().map(pathString), ['.a', '.c', '.a.b'])
  assert.ok(set.has(P('.a')))
  assert.ok(!set.has(P('.z')))
})

const elements = suite('path elements')

const peCases = [
  { name: 'field', key: 'f:image', str: '.image' },
  { name: 'key by name', key: 'k:{"name":"web"}', str: '[name="web"]' },
  { name: 'key sorted by field name', key: 'k:{"containerPort":80,"protocol":"TCP"}', str: '[containerPort=80,protocol="TCP"]' },
  { name: 'set value', key: 'v:"x"', str: '[="x"]' },
  { name: 'index', key: 'i:3', str: '[3]' },
  { name: 'html characters escaped as Go does', key: 'v:"a\\u003cb\\u0026"', str: '[="a<b&"]' },
]
for (const c of peCases) {
  elements(`round trip: ${c.name}`, () => {
    const pe = deserializePathElement(c.key)!
    assert.is(serializePathElement(pe), c.key)
    assert.is(pathString([pe]), c.str)
    assert.equal(parsePath(c.str), [pe])
  })
}

elements('keys given out of order are sorted', () => {
  assert.is(serializePathElement(keyPe({ protocol: 'TCP', containerPort: 80 })), 'k:{"containerPort":80,"protocol":"TCP"}')
})

elements('parses printed paths', () => {
  assert.equal(parsePath('spec.replicas'), [{ field: 'spec' }, { field: 'replicas' }])
  assert.is(pathString(parsePath('.spec.template.spec.containers[name="web"].image')), '.spec.template.spec.containers[name="web"].image')
})

const ops = suite('set operations')

const a = FieldSet.of(P('.a'), P('.b.c'), P('.b.d'))
const b = FieldSet.of(P('.b.c'), P('.e'), P('.b'))
const opCases = [
  { name: 'union', got: () => a.union(b), want: ['.a', '.b', '.e', '.b.c', '.b.d'] },
  { name: 'intersection', got: () => a.intersection(b), want: ['.b.c'] },
  { name: 'difference keeps children of a removed member', got: () => a.difference(b), want: ['.a', '.b.d'] },
  { name: 'recursive difference removes them', got: () => a.recursiveDifference(b), want: ['.a'] },
  { name: 'leaves', got: () => FieldSet.of(P('.b'), P('.b.c'), P('.a')).leaves(), want: ['.a', '.b.c'] },
]
for (const c of opCases) {
  ops(c.name, () => {
    assert.equal(c.got().paths().map(pathString), c.want)
  })
}

ops('empty and size', () => {
  assert.ok(new FieldSet().empty())
  assert.ok(a.intersection(FieldSet.of(P('.z'))).empty())
  assert.is(a.size(), 3)
})

const toSet = suite('fieldSetOf')

toSet('a deployment configuration', () => {
  const cfg = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1', args: ['-g', 'x'], ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          ],
        },
      },
    },
  }
  assert.equal(fieldSetOf(cfg, deployment).toFieldsV1(), {
    'f:apiVersion': {},
    'f:kind': {},
    'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {} },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:args': {},
              'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  })
})

toSet('untyped values: every key is a member, lists are leaves', () => {
  assert.equal(fieldSetOf({ a: { b: 1, c: [1, 2] } }, undefined).toFieldsV1(), { 'f:a': { 'f:b': {}, 'f:c': {}, '.': {} } })
})

toSet('a map list item without its key is a BadRequest for a configuration', () => {
  try {
    fieldSetOf({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deployment, { strict: true })
    assert.unreachable('should throw')
  } catch (err) {
    assert.is((err as { reason?: string }).reason, 'BadRequest')
  }
})

toSet('duplicate keys in a configuration are a BadRequest', () => {
  assert.throws(() => fieldSetOf({ metadata: { finalizers: ['a', 'a'] } }, deployment, { strict: true }), /duplicate entries for key \[="a"\]/)
})

toSet('ensureNamedFieldsAreMembers adds struct fields, not map entries', () => {
  const set = FieldSet.of(P('.spec.replicas'), P('.metadata.labels.app'))
  assert.equal(ensureNamedFieldsAreMembers(set, deployment).paths().map(pathString), ['.metadata', '.spec', '.metadata.labels', '.metadata.labels.app', '.spec.replicas'])
})

fieldsV1.run()
elements.run()
ops.run()
toSet.run()
