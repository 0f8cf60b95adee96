import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { invalid as invalidError } from '../../../reconciler/api/errors.js'
import type { ObjectMeta } from '../../../reconciler/api/object.js'
import { validateObjectMeta, type ObjectMetaOptions } from '../../../reconciler/api/validation/object-meta.js'

const ns: ObjectMetaOptions = { namespaced: true, nameValidator: 'subdomain' }
const cluster: ObjectMetaOptions = { namespaced: false, nameValidator: 'label' }

const meta = suite('validateObjectMeta')

const cases: Array<{ name: string; meta: ObjectMeta | undefined; opts?: ObjectMetaOptions; want: Array<[string, string]> }> = [
  { name: 'valid', meta: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'a.io/b': 'x' } }, want: [] },
  { name: 'no name', meta: { namespace: 'd' }, want: [['FieldValueRequired', 'metadata.name']] },
  { name: 'no metadata at all', meta: undefined, want: [['FieldValueRequired', 'metadata.name'], ['FieldValueRequired', 'metadata.namespace']] },
  { name: 'bad generateName and no name', meta: { generateName: 'Web-', namespace: 'd' }, want: [['FieldValueInvalid', 'metadata.generateName'], ['FieldValueRequired', 'metadata.name']] },
  { name: 'bad name', meta: { name: 'Web', namespace: 'd' }, want: [['FieldValueInvalid', 'metadata.name']] },
  { name: 'bad namespace', meta: { name: 'w', namespace: 'a.b' }, want: [['FieldValueInvalid', 'metadata.namespace']] },
  { name: 'namespace on cluster kind', meta: { name: 'n', namespace: 'd' }, opts: cluster, want: [['FieldValueForbidden', 'metadata.namespace']] },
  { name: 'label rule for cluster kind', meta: { name: 'a.b' }, opts: cluster, want: [['FieldValueInvalid', 'metadata.name']] },
  { name: 'service name rule', meta: { name: '1svc', namespace: 'd' }, opts: { namespaced: true, nameValidator: 'dns1035' }, want: [['FieldValueInvalid', 'metadata.name']] },
  { name: 'negative generation', meta: { name: 'w', namespace: 'd', generation: -1 }, want: [['FieldValueInvalid', 'metadata.generation']] },
  { name: 'bad label key and value', meta: { name: 'w', namespace: 'd', labels: { 'a b': 'c d' } }, want: [['FieldValueInvalid', 'metadata.labels'], ['FieldValueInvalid', 'metadata.labels']] },
  { name: 'annotation key case ignored', meta: { name: 'w', namespace: 'd', annotations: { 'Example.COM/Key': 'v' } }, want: [] },
  { name: 'annotations too big', meta: { name: 'w', namespace: 'd', annotations: { a: 'x'.repeat(262144) } }, want: [['FieldValueTooLong', 'metadata.annotations']] },
  { name: 'one bad label value among valid labels', meta: { name: 'w', namespace: 'd', labels: { app: 'web', tier: '-x', z: 'ok' } }, want: [['FieldValueInvalid', 'metadata.labels']] },
  { name: 'a bad annotation key and too big', meta: { name: 'w', namespace: 'd', annotations: { 'a b': 'x'.repeat(262144), ok: 'v' } }, want: [['FieldValueInvalid', 'metadata.annotations'], ['FieldValueTooLong', 'metadata.annotations']] },
  {
    name: 'owner reference missing fields',
    meta: { name: 'w', namespace: 'd', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
    want: [
      ['FieldValueInvalid', 'metadata.ownerReferences.apiVersion'],
      ['FieldValueInvalid', 'metadata.ownerReferences.kind'],
      ['FieldValueInvalid', 'metadata.ownerReferences.name'],
      ['FieldValueInvalid', 'metadata.ownerReferences.uid'],
    ],
  },
  {
    name: 'event as owner',
    meta: { name: 'w', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] },
    want: [['FieldValueInvalid', 'metadata.ownerReferences']],
  },
  {
    name: 'two controllers',
    meta: {
      name: 'w',
      namespace: 'd',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
      ],
    },
    want: [['FieldValueInvalid', 'metadata.ownerReferences']],
  },
  { name: 'bad finalizer', meta: { name: 'w', namespace: 'd', finalizers: ['a/b/c'] }, want: [['FieldValueInvalid', 'metadata.finalizers']] },
  { name: 'finalizer without domain', meta: { name: 'w', namespace: 'd', finalizers: ['mine'] }, want: [['FieldValueInvalid', 'metadata.finalizers']] },
  { name: 'standard finalizers', meta: { name: 'w', namespace: 'd', finalizers: ['kubernetes', 'foregroundDeletion', 'x.io/y'] }, want: [] },
  { name: 'custom kinds skip the built-in finalizer rule', meta: { name: 'w', finalizers: ['mine'] }, opts: { namespaced: false, nameValidator: 'subdomain', builtinFinalizers: false }, want: [] },
  { name: 'orphan and foreground', meta: { name: 'w', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] }, want: [['FieldValueInvalid', 'metadata.finalizers']] },
  { name: 'managedFields operation', meta: { name: 'w', namespace: 'd', managedFields: [{ manager: 'm', operation: 'Bad' as 'Apply' }] }, want: [['FieldValueInvalid', 'metadata.managedFields[0].operation']] },
]
for (const c of cases) {
  meta(c.name, () => {
    const got = validateObjectMeta(c.meta, c.opts ?? ns)
    assert.equal(
      got.map((e) => [e.reason, e.field]),
      c.want,
    )
  })
}

meta('exact messages', () => {
  const [req] = validateObjectMeta({ namespace: 'd' }, ns)
  assert.is(req.message, 'Required value: name or generateName is required')
  const [nsReq] = validateObjectMeta({ name: 'a' }, ns)
  assert.is(nsReq.message, 'Required value')
  const [forb] = validateObjectMeta({ name: 'n', namespace: 'd' }, cluster)
  assert.is(forb.message, 'Forbidden: not allowed on this type')
  const [big] = validateObjectMeta({ name: 'w', namespace: 'd', annotations: { a: 'x'.repeat(262144) } }, ns)
  assert.is(big.message, 'Too long: must have at most 262144 bytes')
  const [gen] = validateObjectMeta({ name: 'w', namespace: 'd', generation: -1 }, ns)
  assert.is(gen.message, 'Invalid value: -1: must be greater than or equal to 0')
  const two = validateObjectMeta(
    {
      name: 'w',
      namespace: 'd',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
      ],
    },
    ns,
  )
  assert.ok(two[0].message.endsWith(': Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b'))
  const [fin] = validateObjectMeta({ name: 'w', namespace: 'd', finalizers: ['mine'] }, ns)
  assert.is(fin.message, 'Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified')
})

meta('the whole Status message as kube-apiserver prints it', () => {
  const causes = validateObjectMeta({ name: 'Web_1', namespace: 'default' }, ns)
  const err = invalidError('ConfigMap', 'Web_1', causes)
  assert.is(
    err.message,
    'ConfigMap "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower ' +
      "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', " +
      "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  )
})
meta.run()
