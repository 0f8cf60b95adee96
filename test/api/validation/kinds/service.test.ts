import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCases, validate, type Case } from './cases.js'
import { endpoints, service } from './fixtures.js'

const test = suite('kinds: Service')

const cases: Case[] = [
  {
    name: 'type unknown',
    mutate: (o) => (o.spec.type = 'Internal'),
    field: 'spec.type',
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  },
  { name: 'ports required', mutate: (o) => (o.spec.ports = []), field: 'spec.ports', reason: 'FieldValueRequired' },
  { name: 'port out of range', mutate: (o) => (o.spec.ports[0].port = 0), field: 'spec.ports[0].port', reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be between 1 and 65535, inclusive' },
  { name: 'port name required when several', mutate: (o) => delete o.spec.ports[1].name, field: 'spec.ports[1].name', reason: 'FieldValueRequired' },
  { name: 'port names unique', mutate: (o) => (o.spec.ports[1].name = 'http'), field: 'spec.ports[1].name', reason: 'FieldValueDuplicate' },
  { name: 'port name not a DNS label', mutate: (o) => (o.spec.ports[0].name = 'HTTP'), field: 'spec.ports[0].name', reason: 'FieldValueInvalid' },
  { name: 'protocol unknown', mutate: (o) => (o.spec.ports[0].protocol = 'ICMP'), field: 'spec.ports[0].protocol', reason: 'FieldValueNotSupported' },
  { name: 'targetPort name invalid', mutate: (o) => (o.spec.ports[0].targetPort = 'http_alt'), field: 'spec.ports[0].targetPort', reason: 'FieldValueInvalid' },
  { name: 'targetPort number invalid', mutate: (o) => (o.spec.ports[1].targetPort = 70000), field: 'spec.ports[1].targetPort', reason: 'FieldValueInvalid' },
  {
    name: 'nodePort on ClusterIP',
    mutate: (o) => (o.spec.ports[0].nodePort = 30080),
    field: 'spec.ports[0].nodePort',
    reason: 'FieldValueForbidden',
    message: "Forbidden: may not be used when `type` is 'ClusterIP'",
  },
  {
    name: 'nodePort outside the range',
    mutate: (o) => {
      o.spec.type = 'NodePort'
      o.spec.ports[0].nodePort = 8080
    },
    field: 'spec.ports[0].nodePort',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
  },
  {
    name: 'duplicate nodePort',
    mutate: (o) => {
      o.spec.type = 'NodePort'
      o.spec.ports[0].nodePort = 30080
      o.spec.ports[1].nodePort = 30080
    },
    field: 'spec.ports[1].nodePort',
    reason: 'FieldValueDuplicate',
  },
  { name: 'duplicate port and protocol', mutate: (o) => (o.spec.ports[1].port = 80), field: 'spec.ports[1]', reason: 'FieldValueDuplicate' },
  { name: 'selector label value invalid', mutate: (o) => (o.spec.selector = { app: 'my app' }), field: 'spec.selector', reason: 'FieldValueInvalid' },
  { name: 'sessionAffinity unknown', mutate: (o) => (o.spec.sessionAffinity = 'Cookie'), field: 'spec.sessionAffinity', reason: 'FieldValueNotSupported' },
  { name: 'clusterIP not an IP', mutate: (o) => (o.spec.clusterIP = '10.0.0.300'), field: 'spec.clusterIPs[0]', reason: 'FieldValueInvalid' },
  {
    name: 'headless NodePort',
    mutate: (o) => {
      o.spec.type = 'NodePort'
      o.spec.clusterIP = 'None'
    },
    field: 'spec.clusterIPs[0]',
    reason: 'FieldValueInvalid',
    message: `Invalid value: "None": may not be set to 'None' for NodePort services`,
  },
  {
    name: 'ExternalName without externalName',
    mutate: (o) => {
      o.spec = { type: 'ExternalName' }
    },
    field: 'spec.externalName',
    reason: 'FieldValueRequired',
  },
  {
    name: 'ExternalName not a DNS name',
    mutate: (o) => {
      o.spec = { type: 'ExternalName', externalName: 'db_host.example.com' }
    },
    field: 'spec.externalName',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'ExternalName with a clusterIP',
    mutate: (o) => {
      o.spec = { type: 'ExternalName', externalName: 'db.example.com.', clusterIP: '10.0.0.10' }
    },
    field: 'spec.clusterIPs',
    reason: 'FieldValueForbidden',
  },
  {
    name: 'externalTrafficPolicy on ClusterIP',
    mutate: (o) => (o.spec.externalTrafficPolicy = 'Local'),
    field: 'spec.externalTrafficPolicy',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'clusterIP changed on update',
    update: true,
    mutate: (o) => (o.spec.clusterIP = '10.96.0.20'),
    field: 'spec.clusterIPs[0]',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: []string{"10.96.0.20"}: may not change once set',
  },
]

const withIP = () => {
  const s = service()
  ;(s.spec as Record<string, unknown>).clusterIP = '10.96.0.10'
  return s
}
runCases(test, withIP, cases)

test('headless services need no ports; ExternalName needs no ports', () => {
  const headless = service()
  Object.assign(headless.spec as object, { clusterIP: 'None', ports: [] })
  assert.equal(validate(headless), [])
  const ext = service()
  ext.spec = { type: 'ExternalName', externalName: 'db.example.com.' }
  assert.equal(validate(ext), [])
})

test('an update that omits the allocated clusterIP is fine', () => {
  const now = service()
  assert.equal(validate(now, withIP()), [])
})

test.run()

const ep = suite('kinds: Endpoints')
runCases(ep, endpoints, [
  {
    name: 'address ip invalid',
    mutate: (o) => (o.subsets[0].addresses[0].ip = 'node-1'),
    field: 'subsets[0].addresses[0].ip',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: "node-1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  },
  { name: 'address ip required', mutate: (o) => delete o.subsets[0].addresses[0].ip, field: 'subsets[0].addresses[0].ip', reason: 'FieldValueInvalid' },
  { name: 'loopback address', mutate: (o) => (o.subsets[0].addresses[0].ip = '127.0.0.1'), field: 'subsets[0].addresses[0].ip', reason: 'FieldValueInvalid' },
  { name: 'subset without addresses', mutate: (o) => (o.subsets[0].addresses = []), field: 'subsets[0]', reason: 'FieldValueRequired' },
  { name: 'port out of range', mutate: (o) => (o.subsets[0].ports[0].port = 65536), field: 'subsets[0].ports[0].port', reason: 'FieldValueInvalid' },
  { name: 'port name required when several', mutate: (o) => delete o.subsets[0].ports[1].name, field: 'subsets[0].ports[1].name', reason: 'FieldValueRequired' },
  { name: 'protocol unknown', mutate: (o) => (o.subsets[0].ports[0].protocol = 'QUIC'), field: 'subsets[0].ports[0].protocol', reason: 'FieldValueNotSupported' },
])
ep.run()
