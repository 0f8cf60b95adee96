/**
 * Cases ported from kubernetes-sigs/structured-merge-diff merge/multiple_appliers_test.go and
 * merge/default_keys_test.go (single apiVersion, since capstan converts before applying).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { scalar } from '../../../reconciler/api/schema/type-node.js'
import { body, runSteps, type Step } from './scenario.js'
import { mapList, setList, struct } from './types.js'

const associativeList = struct({ list: mapList(['name'], struct({ name: scalar, value: scalar })) })
const nestedType = struct({ listOfLists: mapList(['name'], struct({ name: scalar, value: setList() })) })
const portList = struct({ containerPorts: mapList(['port', 'protocol'], struct({ port: scalar, protocol: scalar, name: scalar }), { protocol: 'TCP' }) })

const item = (name: string, extra: object = {}): Record<string, unknown> => ({ '.': {}, 'f:name': {}, ...extra })
const K = (name: string): string => `k:{"name":"${name}"}`

interface Case {
  name: string
  type: typeof associativeList
  steps: Step[]
  object: unknown
  managed: Record<string, unknown>
}

const cases: Case[] = [
  {
    name: 'remove_one',
    type: associativeList,
    steps: [
      { apply: 'apply-one', config: { list: [{ name: 'a' }, { name: 'b' }] } },
      { apply: 'apply-two', config: { list: [{ name: 'c' }] } },
      { apply: 'apply-one', config: { list: [{ name: 'a' }] } },
    ],
    object: { list: [{ name: 'a' }, { name: 'c' }] },
    managed: {
      'apply-one/Apply': { 'f:list': { [K('a')]: item('a') } },
      'apply-two/Apply': { 'f:list': { [K('c')]: item('c') } },
    },
  },
  {
    name: 'same_value_no_conflict',
    type: associativeList,
    steps: [
      { apply: 'apply-one', config: { list: [{ name: 'a', value: 0 }] } },
      { apply: 'apply-two', config: { list: [{ name: 'a', value: 0 }] } },
    ],
    object: { list: [{ name: 'a', value: 0 }] },
    managed: {
      'apply-one/Apply': { 'f:list': { [K('a')]: item('a', { 'f:value': {} }) } },
      'apply-two/Apply': { 'f:list': { [K('a')]: item('a', { 'f:value': {} }) } },
    },
  },
  {
    name: 'change_value_yes_conflict',
    type: associativeList,
    steps: [
      { apply: 'apply-one', config: { list: [{ name: 'a', value: 0 }] } },
      { apply: 'apply-two', config: { list: [{ name: 'a', value: 1 }] }, wantConflicts: ['.list[name="a"].value'] },
    ],
    object: { list: [{ name: 'a', value: 0 }] },
    managed: { 'apply-one/Apply': { 'f:list': { [K('a')]: item('a', { 'f:value': {} }) } } },
  },
  {
    name: 'remove_one_keep_one',
    type: associativeList,
    steps: [
      { apply: 'apply-one', config: { list: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } },
      { apply: 'apply-two', config: { list: [{ name: 'c' }, { name: 'd' }] } },
      { apply: 'apply-one', config: { list: [{ name: 'a' }] } },
    ],
    object: { list: [{ name: 'a' }, { name: 'c' }, { name: 'd' }] },
    managed: {
      'apply-one/Apply': { 'f:list': { [K('a')]: item('a') } },
      'apply-two/Apply': { 'f:list': { [K('c')]: item('c'), [K('d')]: item('d') } },
    },
  },
  {
    name: 'remove_one_keep_one_with_two_sub_items',
    type: nestedType,
    steps: [
      { apply: 'apply-one', config: { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] } },
      { apply: 'apply-two', config: { listOfLists: [{ name: 'b', value: ['d'] }] } },
      { apply: 'apply-one', config: { listOfLists: [{ name: 'a' }] } },
    ],
    object: { listOfLists: [{ name: 'a' }, { name: 'b', value: ['d'] }] },
    managed: {
      'apply-one/Apply': { 'f:listOfLists': { [K('a')]: item('a') } },
      'apply-two/Apply': { 'f:listOfLists': { [K('b')]: item('b', { 'f:value': { 'v:"d"': {} } }) } },
    },
  },
  {
    name: 'remove_one_keep_one_with_dangling_subitem',
    type: nestedType,
    steps: [
      { apply: 'apply-one', config: { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] } },
      { apply: 'apply-two', config: { listOfLists: [{ name: 'b', value: ['d'] }] } },
      { update: 'controller', object: { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c', 'd', 'e'] }] } },
      { apply: 'apply-one', config: { listOfLists: [{ name: 'a' }] } },
    ],
    object: { listOfLists: [{ name: 'a' }, { name: 'b', value: ['d', 'e'] }] },
    managed: {
      'apply-one/Apply': { 'f:listOfLists': { [K('a')]: item('a') } },
      'apply-two/Apply': { 'f:listOfLists': { [K('b')]: item('b', { 'f:value': { 'v:"d"': {} } }) } },
      'controller/Update': { 'f:listOfLists': { [K('b')]: { 'f:value': { 'v:"e"': {} } } } },
    },
  },
  {
    name: 'remove_one_with_dangling_subitem_keep_one',
    type: nestedType,
    steps: [
      { apply: 'apply-one', config: { listOfLists: [{ name: 'a' }, { name: 'b', value: ['c'] }] } },
      { apply: 'apply-two', config: { listOfLists: [{ name: 'a', value: ['b'] }] } },
      { update: 'controller', object: { listOfLists: [{ name: 'a', value: ['b'] }, { name: 'b', value: ['c', 'd'] }] } },
      { apply: 'apply-one', config: { listOfLists: [{ name: 'a' }] } },
    ],
    // The item apply-one owned goes whole, the controller's value inside it with it.
    object: { listOfLists: [{ name: 'a', value: ['b'] }] },
    managed: {
      'apply-one/Apply': { 'f:listOfLists': { [K('a')]: item('a') } },
      'apply-two/Apply': { 'f:listOfLists': { [K('a')]: item('a', { 'f:value': { 'v:"b"': {} } }) } },
    },
  },
  {
    name: 'apply_missing_defaulted_key_A',
    type: portList,
    steps: [{ apply: 'default', config: { containerPorts: [{ port: 80 }] } }],
    object: { containerPorts: [{ port: 80 }] },
    managed: { 'default/Apply': { 'f:containerPorts': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } } } },
  },
  {
    name: 'apply_missing_defaulted_key_with_conflict',
    type: portList,
    steps: [
      { apply: 'apply-one', config: { containerPorts: [{ port: 80, protocol: 'TCP', name: 'foo' }] } },
      { apply: 'apply-two', config: { containerPorts: [{ port: 80, name: 'bar' }] }, wantConflicts: ['.containerPorts[port=80,protocol="TCP"].name'] },
    ],
    object: { containerPorts: [{ port: 80, protocol: 'TCP', name: 'foo' }] },
    managed: {
      'apply-one/Apply': {
        'f:containerPorts': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} } },
      },
    },
  },
]

const smd = suite('structured-merge-diff merge tests')
for (const c of cases) {
  smd(c.name, () => {
    const out = runSteps(c.steps, c.type, undefined, 'v1')
    assert.equal(body(out.live), c.object)
    assert.equal(out.managed, c.managed)
  })
}
smd.run()
