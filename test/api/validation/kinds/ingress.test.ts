import { suite } from 'uvu'
import { runCases, type Case } from './cases.js'
import { ingress } from './fixtures.js'

const test = suite('kinds: Ingress')

const p0 = 'spec.rules[0].http.paths[0]'
const cases: Case[] = [
  {
    name: 'neither rules nor defaultBackend',
    mutate: (o) => {
      delete o.spec.rules
      delete o.spec.tls
    },
    field: 'spec',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
  },
  { name: 'host is an IP', mutate: (o) => (o.spec.rules[0].host = '10.0.0.1'), field: 'spec.rules[0].host', reason: 'FieldValueInvalid', message: 'Invalid value: "10.0.0.1": must be a DNS name, not an IP address' },
  { name: 'host not a DNS name', mutate: (o) => (o.spec.rules[0].host = 'Shop.example.com'), field: 'spec.rules[0].host', reason: 'FieldValueInvalid' },
  { name: 'wildcard not leading', mutate: (o) => (o.spec.rules[1].host = 'shop.*.com'), field: 'spec.rules[1].host', reason: 'FieldValueInvalid' },
  { name: 'http without paths', mutate: (o) => (o.spec.rules[0].http.paths = []), field: 'spec.rules[0].http.paths', reason: 'FieldValueRequired' },
  {
    name: 'pathType missing',
    mutate: (o) => delete o.spec.rules[0].http.paths[0].pathType,
    field: `${p0}.pathType`,
    reason: 'FieldValueRequired',
    message: 'Required value: pathType must be specified',
  },
  {
    name: 'pathType unknown',
    mutate: (o) => (o.spec.rules[0].http.paths[0].pathType = 'Regex'),
    field: `${p0}.pathType`,
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  },
  { name: 'Prefix path relative', mutate: (o) => (o.spec.rules[0].http.paths[0].path = 'api'), field: `${p0}.path`, reason: 'FieldValueInvalid', message: 'Invalid value: "api": must be an absolute path' },
  { name: 'Prefix path with //', mutate: (o) => (o.spec.rules[0].http.paths[0].path = '/a//b'), field: `${p0}.path`, reason: 'FieldValueInvalid', message: `Invalid value: "/a//b": must not contain '//'` },
  { name: 'Exact path with /../', mutate: (o) => (o.spec.rules[0].http.paths[1].path = '/a/../b'), field: 'spec.rules[0].http.paths[1].path', reason: 'FieldValueInvalid' },
  { name: 'path ending in /..', mutate: (o) => (o.spec.rules[0].http.paths[0].path = '/a/..'), field: `${p0}.path`, reason: 'FieldValueInvalid', message: `Invalid value: "/a/..": cannot end with '/..'` },
  { name: 'path with %2f', mutate: (o) => (o.spec.rules[0].http.paths[0].path = '/a%2fb'), field: `${p0}.path`, reason: 'FieldValueInvalid' },
  {
    name: 'ImplementationSpecific relative path',
    mutate: (o) => (o.spec.rules[1].http.paths[0].path = 'x'),
    field: 'spec.rules[1].http.paths[0].path',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'backend with both service and resource',
    mutate: (o) => (o.spec.rules[0].http.paths[0].backend.resource = { kind: 'Bucket', name: 'static' }),
    field: `${p0}.backend`,
    reason: 'FieldValueInvalid',
    message: 'Invalid value: "": cannot set both resource and service backends',
  },
  { name: 'backend with neither', mutate: (o) => (o.spec.rules[0].http.paths[0].backend = {}), field: `${p0}.backend`, reason: 'FieldValueInvalid' },
  {
    name: 'service port with both number and name',
    mutate: (o) => (o.spec.rules[0].http.paths[0].backend.service.port.name = 'http'),
    field: `${p0}.backend`,
    reason: 'FieldValueInvalid',
    message: 'Invalid value: "": cannot set both port name & port number',
  },
  {
    name: 'service port with neither',
    mutate: (o) => (o.spec.rules[0].http.paths[0].backend.service.port = {}),
    field: `${p0}.backend`,
    reason: 'FieldValueRequired',
    message: 'Required value: port name or number is required',
  },
  { name: 'service name required', mutate: (o) => delete o.spec.rules[0].http.paths[0].backend.service.name, field: `${p0}.backend.service.name`, reason: 'FieldValueRequired' },
  { name: 'service name not DNS-1035', mutate: (o) => (o.spec.rules[0].http.paths[0].backend.service.name = '1web'), field: `${p0}.backend.service.name`, reason: 'FieldValueInvalid' },
  { name: 'service port number invalid', mutate: (o) => (o.spec.rules[0].http.paths[0].backend.service.port.number = 70000), field: `${p0}.backend.service.port.number`, reason: 'FieldValueInvalid' },
  { name: 'tls host invalid', mutate: (o) => (o.spec.tls[0].hosts[0] = 'shop_example.com'), field: 'spec.tls[0].hosts[0]', reason: 'FieldValueInvalid' },
  { name: 'tls secretName invalid', mutate: (o) => (o.spec.tls[0].secretName = 'Shop'), field: 'spec.tls[0].secretName', reason: 'FieldValueInvalid' },
  { name: 'ingressClassName invalid', mutate: (o) => (o.spec.ingressClassName = 'Nginx'), field: 'spec.ingressClassName', reason: 'FieldValueInvalid' },
  {
    name: 'defaultBackend checked too',
    mutate: (o) => (o.spec.defaultBackend = { service: { name: 'web', port: {} } }),
    field: 'spec.defaultBackend',
    reason: 'FieldValueRequired',
  },
]

runCases(test, ingress, cases)
test.run()
