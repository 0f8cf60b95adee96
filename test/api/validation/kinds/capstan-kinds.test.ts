import { suite } from 'uvu'
import { runCases } from './cases.js'
import { nodePool, syncRecord } from './fixtures.js'

const np = suite('kinds: NodePool')
runCases(np, nodePool, [
  { name: 'no zones', mutate: (o) => (o.spec.zones = []), field: 'spec.zones', reason: 'FieldValueRequired' },
  { name: 'zone not a DNS label', mutate: (o) => (o.spec.zones[0] = 'Zone_A'), field: 'spec.zones[0]', reason: 'FieldValueInvalid' },
  { name: 'zone repeated', mutate: (o) => o.spec.zones.push('zone-a'), field: 'spec.zones[2]', reason: 'FieldValueDuplicate' },
  { name: 'negative nodesPerZone', mutate: (o) => (o.spec.nodesPerZone = -1), field: 'spec.nodesPerZone', reason: 'FieldValueInvalid' },
  {
    name: 'zoneCounts names an unlisted zone',
    mutate: (o) => (o.spec.zoneCounts = { 'zone-c': 1 }),
    field: 'spec.zoneCounts[zone-c]',
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "zone-c": supported values: "zone-a", "zone-b"',
  },
  { name: 'negative zone count', mutate: (o) => (o.spec.zoneCounts['zone-b'] = -2), field: 'spec.zoneCounts[zone-b]', reason: 'FieldValueInvalid' },
  { name: 'cpu not a quantity', mutate: (o) => (o.spec.machineType.cpu = 'four'), field: 'spec.machineType.cpu', reason: 'FieldValueInvalid' },
  { name: 'memory zero', mutate: (o) => (o.spec.machineType.memory = '0'), field: 'spec.machineType.memory', reason: 'FieldValueInvalid' },
  { name: 'memory missing', mutate: (o) => delete o.spec.machineType.memory, field: 'spec.machineType.memory', reason: 'FieldValueRequired' },
  { name: 'pods 0', mutate: (o) => (o.spec.machineType.pods = 0), field: 'spec.machineType.pods', reason: 'FieldValueInvalid' },
  { name: 'taint effect unknown', mutate: (o) => (o.spec.taints[0].effect = 'Never'), field: 'spec.taints[0].effect', reason: 'FieldValueNotSupported' },
  { name: 'label value invalid', mutate: (o) => (o.spec.labels.pool = 'a b'), field: 'spec.labels', reason: 'FieldValueInvalid' },
])
np.run()

const sr = suite('kinds: SyncRecord')
runCases(sr, syncRecord, [
  { name: 'commit required', mutate: (o) => delete o.spec.commit, field: 'spec.commit', reason: 'FieldValueRequired' },
  { name: 'short commit', mutate: (o) => (o.spec.commit = '0123456'), field: 'spec.commit', reason: 'FieldValueInvalid' },
  { name: 'upper-case commit', mutate: (o) => (o.spec.commit = o.spec.commit.toUpperCase()), field: 'spec.commit', reason: 'FieldValueInvalid' },
  { name: 'revertOf not a sha', mutate: (o) => (o.spec.revertOf = 'HEAD~1'), field: 'spec.revertOf', reason: 'FieldValueInvalid' },
  {
    name: 'result unknown',
    mutate: (o) => (o.spec.result = 'Partial'),
    field: 'spec.result',
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "Partial": supported values: "DryRun", "Failed", "Succeeded"',
  },
  { name: 'negative revision', mutate: (o) => (o.spec.deployments[0].revision = -1), field: 'spec.deployments[0].revision', reason: 'FieldValueInvalid' },
])
sr.run()
