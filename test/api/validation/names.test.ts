import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  validateName,
} from '../../../reconciler/api/validation/names.js'

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end " +
  "with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an " +
  "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end " +
  "with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

const names = suite('name validators')

const table: Array<{ name: string; fn: (s: string) => string[]; input: string; want: string[] }> = [
  { name: 'subdomain ok', fn: isDNS1123Subdomain, input: 'web.example-1', want: [] },
  { name: 'subdomain uppercase', fn: isDNS1123Subdomain, input: 'Web', want: [SUBDOMAIN_MSG] },
  { name: 'subdomain too long', fn: isDNS1123Subdomain, input: 'a'.repeat(254), want: ['must be no more than 253 characters'] },
  { name: 'label with dots', fn: isDNS1123Label, input: 'a.b', want: ['must not contain dots'] },
  { name: 'label trailing dash', fn: isDNS1123Label, input: 'a-', want: [LABEL_MSG] },
  { name: 'label too long and bad', fn: isDNS1123Label, input: 'A'.repeat(64), want: ['must be no more than 63 characters', LABEL_MSG] },
  { name: 'dns1035 digit first', fn: isDNS1035Label, input: '1web', want: [DNS1035_MSG] },
  { name: 'dns1035 ok', fn: isDNS1035Label, input: 'web-1', want: [] },
  { name: 'qualified ok', fn: isQualifiedName, input: 'app.kubernetes.io/name', want: [] },
  { name: 'qualified empty prefix', fn: isQualifiedName, input: '/name', want: ['prefix part must be non-empty'] },
  {
    name: 'qualified empty name',
    fn: isQualifiedName,
    input: 'example.com/',
    want: [
      'name part must be non-empty',
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
        "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  },
  { name: 'qualified bad prefix', fn: isQualifiedName, input: 'Ex/a', want: ['prefix part ' + SUBDOMAIN_MSG] },
  { name: 'qualified long name', fn: isQualifiedName, input: 'a'.repeat(64), want: ['name part must be no more than 63 characters'] },
  { name: 'label value empty ok', fn: isValidLabelValue, input: '', want: [] },
  { name: 'label value underscore ok', fn: isValidLabelValue, input: 'my_value.1', want: [] },
  { name: 'config key ok', fn: isConfigMapKey, input: '.env', want: [] },
  { name: 'config key dot', fn: isConfigMapKey, input: '.', want: ["must not be '.'"] },
  { name: 'config key dotdot', fn: isConfigMapKey, input: '..', want: ["must not be '..'"] },
  { name: 'config key dotdot prefix', fn: isConfigMapKey, input: '..data', want: ["must not start with '..'"] },
  {
    name: 'config key slash',
    fn: isConfigMapKey,
    input: 'a/b',
    want: [
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or " +
        "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ],
  },
  { name: 'port name ok', fn: isValidPortName, input: 'http-alt', want: [] },
  {
    name: 'port name many problems',
    fn: isValidPortName,
    input: '-1--',
    want: ['must contain at least one letter (a-z)', 'must not contain consecutive hyphens', 'must not begin or end with a hyphen'],
  },
  { name: 'port name too long', fn: isValidPortName, input: 'a'.repeat(16), want: ['must be no more than 15 characters'] },
]
for (const c of table) {
  names(c.name, () => {
    assert.equal(c.fn(c.input), c.want)
  })
}

names('port numbers', () => {
  assert.equal(isValidPortNum(80), [])
  assert.equal(isValidPortNum(0), ['must be between 1 and 65535, inclusive'])
  assert.equal(isValidPortNum(65536), ['must be between 1 and 65535, inclusive'])
})

names('generateName prefixes may end in a dash', () => {
  assert.equal(validateName('subdomain', 'web-', true), [])
  assert.equal(validateName('label', 'web-', true), [])
  assert.equal(validateName('subdomain', 'web-', false), [SUBDOMAIN_MSG])
})
names('answers do not change with repetition (valid strings are remembered, problems never)', () => {
  const cases: Array<{ name: string; fn: (s: string) => string[]; input: string }> = [
    { name: 'valid qualified name', fn: isQualifiedName, input: 'app.kubernetes.io/name' },
    { name: 'invalid qualified name', fn: isQualifiedName, input: 'a b/c' },
    { name: 'too long prefix', fn: isQualifiedName, input: `${'a'.repeat(254)}/x` },
    { name: 'valid label value', fn: isValidLabelValue, input: 'web-1' },
    { name: 'invalid label value', fn: isValidLabelValue, input: '-web' },
    { name: 'empty label value', fn: isValidLabelValue, input: '' },
  ]
  for (const c of cases) {
    const first = c.fn(c.input)
    for (let i = 0; i < 3; i++) assert.equal(c.fn(c.input), first, `${c.name}: call ${i + 2}`)
    // A caller may add to the list it got: the next caller's list is its own.
    c.fn(c.input).push('x')
    assert.equal(c.fn(c.input), first, `${c.name}: not shared`)
  }
})

names.run()
