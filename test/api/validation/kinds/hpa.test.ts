import { suite } from 'uvu'
import { runCases, type Case } from './cases.js'
import { hpa } from './fixtures.js'

const test = suite('kinds: HorizontalPodAutoscaler')

const up = 'spec.behavior.scaleUp'
const cases: Case[] = [
  { name: 'scaleTargetRef kind required', mutate: (o) => delete o.spec.scaleTargetRef.kind, field: 'spec.scaleTargetRef.kind', reason: 'FieldValueRequired' },
  { name: 'scaleTargetRef name required', mutate: (o) => delete o.spec.scaleTargetRef.name, field: 'spec.scaleTargetRef.name', reason: 'FieldValueRequired' },
  { name: 'scaleTargetRef name with /', mutate: (o) => (o.spec.scaleTargetRef.name = 'a/b'), field: 'spec.scaleTargetRef.name', reason: 'FieldValueInvalid', message: `Invalid value: "a/b": may not contain '/'` },
  { name: 'minReplicas 0', mutate: (o) => (o.spec.minReplicas = 0), field: 'spec.minReplicas', reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be greater than or equal to 1' },
  { name: 'maxReplicas 0', mutate: (o) => (o.spec.maxReplicas = 0), field: 'spec.maxReplicas', reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be greater than 0' },
  {
    name: 'maxReplicas below minReplicas',
    mutate: (o) => (o.spec.maxReplicas = 1),
    field: 'spec.maxReplicas',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 1: must be greater than or equal to `minReplicas`',
  },
  {
    name: 'metric type unknown',
    mutate: (o) => (o.spec.metrics[0].type = 'Cpu'),
    field: 'spec.metrics[0].type',
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "Cpu": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
  },
  {
    name: 'metric source missing',
    mutate: (o) => (o.spec.metrics[0] = { type: 'Resource' }),
    field: 'spec.metrics[0].resource',
    reason: 'FieldValueRequired',
    message: 'Required value: must populate information for the given metric source',
  },
  {
    name: 'two metric sources',
    mutate: (o) => (o.spec.metrics[0].pods = { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '1' } }),
    field: 'spec.metrics[0].pods',
    reason: 'FieldValueForbidden',
  },
  { name: 'resource name required', mutate: (o) => delete o.spec.metrics[0].resource.name, field: 'spec.metrics[0].resource.name', reason: 'FieldValueRequired' },
  {
    name: 'averageUtilization 0',
    mutate: (o) => (o.spec.metrics[0].resource.target.averageUtilization = 0),
    field: 'spec.metrics[0].resource.target.averageUtilization',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 0: must be greater than 0',
  },
  {
    name: 'Utilization target without a value',
    mutate: (o) => (o.spec.metrics[0].resource.target = { type: 'Utilization' }),
    field: 'spec.metrics[0].resource.target.averageUtilization',
    reason: 'FieldValueRequired',
  },
  {
    name: 'averageValue 0',
    mutate: (o) => (o.spec.metrics[1].resource.target.averageValue = '0'),
    field: 'spec.metrics[1].resource.target.averageValue',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 0: must be positive',
  },
  {
    name: 'target type unknown',
    mutate: (o) => (o.spec.metrics[1].resource.target.type = 'Average'),
    field: 'spec.metrics[1].resource.target.type',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'pods metric without averageValue',
    mutate: (o) => (o.spec.metrics[2].pods.target = { type: 'AverageValue' }),
    field: 'spec.metrics[2].pods.target.averageValue',
    reason: 'FieldValueRequired',
  },
  {
    name: 'policy type unknown',
    mutate: (o) => (o.spec.behavior.scaleUp = { policies: [{ type: 'Nodes', value: 1, periodSeconds: 15 }] }),
    field: `${up}.policies[0].type`,
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "Nodes": supported values: "Percent", "Pods"',
  },
  {
    name: 'policy value 0',
    mutate: (o) => (o.spec.behavior.scaleUp = { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] }),
    field: `${up}.policies[0].value`,
    reason: 'FieldValueInvalid',
  },
  {
    name: 'policy period above 1800',
    mutate: (o) => (o.spec.behavior.scaleUp = { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] }),
    field: `${up}.policies[0].periodSeconds`,
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 1801: must be less than or equal to 1800',
  },
  {
    name: 'policy period 0',
    mutate: (o) => (o.spec.behavior.scaleUp = { policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] }),
    field: `${up}.policies[0].periodSeconds`,
    reason: 'FieldValueInvalid',
  },
  {
    name: 'no policies',
    mutate: (o) => (o.spec.behavior.scaleDown = { policies: [] }),
    field: 'spec.behavior.scaleDown.policies',
    reason: 'FieldValueRequired',
  },
  {
    name: 'stabilization window above 3600',
    mutate: (o) => (o.spec.behavior.scaleDown.stabilizationWindowSeconds = 3601),
    field: 'spec.behavior.scaleDown.stabilizationWindowSeconds',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 3601: must be less than or equal to 3600',
  },
  {
    name: 'stabilization window negative',
    mutate: (o) => (o.spec.behavior.scaleDown.stabilizationWindowSeconds = -1),
    field: 'spec.behavior.scaleDown.stabilizationWindowSeconds',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'selectPolicy unknown',
    mutate: (o) => (o.spec.behavior.scaleDown.selectPolicy = 'Avg'),
    field: 'spec.behavior.scaleDown.selectPolicy',
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "Avg": supported values: "Disabled", "Max", "Min"',
  },
]

runCases(test, hpa, cases)
test.run()
