import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { invalid as invalidError, isApiError } from '../../../reconciler/api/errors.js'
import {
  base64DecodeError,
  mergeStringData,
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
  type ConfigMapLike,
  type SecretLike,
} from '../../../reconciler/api/validation/config-data.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')
const fields = (errs: Array<{ reason: string; field?: string }>): Array<[string, string | undefined]> => errs.map((e) => [e.reason, e.field])

const cm = suite('validateConfigMap')

const cmCases: Array<{ name: string; cm: ConfigMapLike; want: Array<[string, string]> }> = [
  { name: 'valid', cm: { data: { 'app.properties': 'a=b', '.env': 'x' }, binaryData: { logo: b64('png') } }, want: [] },
  { name: 'bad data key', cm: { data: { 'a/b': 'x' } }, want: [['FieldValueInvalid', 'data[a/b]']] },
  { name: 'bad binaryData key', cm: { binaryData: { '..x': b64('y') } }, want: [['FieldValueInvalid', 'binaryData[..x]']] },
  { name: 'key in both', cm: { data: { k: 'x' }, binaryData: { k: b64('y') } }, want: [['FieldValueInvalid', 'data[k]']] },
  { name: 'too big', cm: { data: { a: 'x'.repeat(1048576), b: 'y' } }, want: [['FieldValueTooLong', '[]']] },
  { name: 'exactly 1 MiB is fine', cm: { data: { a: 'x'.repeat(1048575) }, binaryData: { b: b64('y') } }, want: [] },
]
for (const c of cmCases) {
  cm(c.name, () => {
    assert.equal(fields(validateConfigMap(c.cm)), c.want)
  })
}

cm('messages as kube-apiserver prints them', () => {
  const dup = validateConfigMap({ data: { myname: 'x' }, binaryData: { myname: b64('y') } })
  assert.is(
    invalidError('ConfigMap', 'c', dup).message,
    'ConfigMap "c" is invalid: data[myname]: Invalid value: "myname": duplicate of key present in binaryData',
  )
  const big = validateConfigMap({ data: { a: 'x'.repeat(1048577) } })
  assert.is(invalidError('ConfigMap', 'x', big).message, 'ConfigMap "x" is invalid: []: Too long: must have at most 1048576 bytes')
})

cm('immutable ConfigMaps', () => {
  const old: ConfigMapLike = { data: { a: '1' }, binaryData: { b: b64('2') }, immutable: true }
  assert.equal(fields(validateConfigMapUpdate(old, { ...old })), [])
  assert.equal(fields(validateConfigMapUpdate(old, { ...old, data: { a: '2' } })), [['FieldValueForbidden', 'data']])
  assert.equal(fields(validateConfigMapUpdate(old, { ...old, binaryData: {} })), [['FieldValueForbidden', 'binaryData']])
  assert.equal(fields(validateConfigMapUpdate(old, { ...old, immutable: false })), [['FieldValueForbidden', 'immutable']])
  const [e] = validateConfigMapUpdate(old, { ...old, data: {} })
  assert.is(e.message, 'Forbidden: field is immutable when `immutable` is set')
  assert.equal(fields(validateConfigMapUpdate({ data: { a: '1' } }, { data: { a: '2' }, immutable: true })), [])
})
cm.run()

const secret = suite('validateSecret')

const secretCases: Array<{ name: string; s: SecretLike; want: Array<[string, string]> }> = [
  { name: 'opaque', s: { type: 'Opaque', data: { password: b64('x') } }, want: [] },
  { name: 'bad key', s: { data: { 'a b': b64('x') } }, want: [['FieldValueInvalid', 'data[a b]']] },
  { name: 'bad base64', s: { data: { a: 'not base64!' } }, want: [['FieldValueInvalid', 'data[a]']] },
  { name: 'stringData keys are checked as data keys', s: { stringData: { 'a/b': 'x' } }, want: [['FieldValueInvalid', 'data[a/b]']] },
  { name: 'too big (decoded bytes count)', s: { data: { a: b64('x'.repeat(1048577)) } }, want: [['FieldValueTooLong', 'data']] },
  { name: 'tls complete', s: { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }, want: [] },
  {
    name: 'tls missing both',
    s: { type: 'kubernetes.io/tls', data: {} },
    want: [
      ['FieldValueRequired', 'data[tls.crt]'],
      ['FieldValueRequired', 'data[tls.key]'],
    ],
  },
  { name: 'tls key from stringData', s: { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') }, stringData: { 'tls.key': 'k' } }, want: [] },
  { name: 'dockerconfigjson missing', s: { type: 'kubernetes.io/dockerconfigjson' }, want: [['FieldValueRequired', 'data[.dockerconfigjson]']] },
  { name: 'dockerconfigjson ok', s: { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }, want: [] },
  { name: 'dockerconfigjson not json', s: { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{x') } }, want: [['FieldValueInvalid', 'data[.dockerconfigjson]']] },
  { name: 'dockercfg missing', s: { type: 'kubernetes.io/dockercfg', data: {} }, want: [['FieldValueRequired', 'data[.dockercfg]']] },
  {
    name: 'basic-auth needs one of the two',
    s: { type: 'kubernetes.io/basic-auth', data: {} },
    want: [
      ['FieldValueRequired', 'data[username]'],
      ['FieldValueRequired', 'data[password]'],
    ],
  },
  { name: 'basic-auth with an empty password only', s: { type: 'kubernetes.io/basic-auth', data: { password: '' } }, want: [] },
  { name: 'ssh-auth empty key', s: { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }, want: [['FieldValueRequired', 'data[ssh-privatekey]']] },
  {
    name: 'service account token needs the annotation',
    s: { type: 'kubernetes.io/service-account-token', metadata: { name: 't' } },
    want: [['FieldValueRequired', 'metadata.annotations[kubernetes.io/service-account.name]']],
  },
  {
    name: 'service account token with the annotation',
    s: { type: 'kubernetes.io/service-account-token', metadata: { annotations: { 'kubernetes.io/service-account.name': 'default' } } },
    want: [],
  },
  { name: 'unknown type has no rules', s: { type: 'example.com/custom' }, want: [] },
]
for (const c of secretCases) {
  secret(c.name, () => {
    assert.equal(fields(validateSecret(c.s)), c.want)
  })
}

secret('dockerconfigjson messages use Go json errors and redact the value', () => {
  const cases: Array<[string, string]> = [
    ['{x', 'invalid character \'x\' looking for beginning of object key string'],
    ['', 'unexpected end of JSON input'],
    ['[]', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['{"a":1} x', "invalid character 'x' after top-level value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
  ]
  for (const [json, msg] of cases) {
    const errs = validateSecret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(json) } })
    assert.is(errs[0]?.message, `Invalid value: "<secret contents redacted>": ${msg}`, json)
  }
  assert.equal(validateSecret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('null') } }), [])
})

secret('required messages', () => {
  const errs = validateSecret({ type: 'kubernetes.io/tls', data: { 'tls.key': b64('k') } })
  assert.is(invalidError('Secret', 's', errs).message, 'Secret "s" is invalid: data[tls.crt]: Required value')
})
secret.run()

const merge = suite('mergeStringData')

merge('stringData wins and is base64-encoded into data', () => {
  const s = mergeStringData({ type: 'Opaque', data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'ü' } })
  assert.equal(s, { type: 'Opaque', data: { a: b64('new'), b: b64('keep'), c: b64('ü') } })
})

merge('no stringData leaves the secret alone', () => {
  const input = { data: { a: b64('x') } }
  assert.is(mergeStringData(input), input)
  assert.equal(mergeStringData({ data: { a: 'eA==' }, stringData: {} }), { data: { a: 'eA==' } })
})
merge.run()

const update = suite('validateSecretUpdate')

update('type is immutable (absent means Opaque)', () => {
  assert.equal(fields(validateSecretUpdate({ data: {} }, { type: 'Opaque', data: {} })), [])
  const errs = validateSecretUpdate({ type: 'Opaque' }, { type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } })
  assert.equal(fields(errs), [['FieldValueInvalid', 'type']])
  assert.is(errs[0].message, 'Invalid value: "kubernetes.io/tls": field is immutable')
})

update('immutable secrets', () => {
  const old: SecretLike = { type: 'Opaque', data: { a: b64('1') }, immutable: true }
  assert.equal(fields(validateSecretUpdate(old, { ...old })), [])
  assert.equal(fields(validateSecretUpdate(old, { ...old, stringData: { a: '1' } })), [], 'same bytes through stringData')
  assert.equal(fields(validateSecretUpdate(old, { ...old, stringData: { a: '2' } })), [['FieldValueForbidden', 'data']])
  assert.equal(fields(validateSecretUpdate(old, { ...old, immutable: undefined })), [['FieldValueForbidden', 'immutable']])
})
update.run()

const decode = suite('base64DecodeError')

decode('Secret data that is not base64 is a 400 before validation', () => {
  const err = base64DecodeError({ apiVersion: 'v1', kind: 'Secret', data: { ok: b64('x'), bad: 'abc!' } })
  assert.ok(isApiError(err, 'BadRequest'))
  assert.is(err!.message, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3')
})

decode('ConfigMap binaryData too; data and other kinds are not checked', () => {
  const err = base64DecodeError({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '!!!' }, binaryData: { b: 'YQ' } })
  assert.is(err?.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 0')
  assert.is(base64DecodeError({ kind: 'ConfigMap', data: { a: '!!!' } }), undefined)
  assert.is(base64DecodeError({ kind: 'Pod', data: { a: '!!!' } }), undefined)
})
decode.run()
