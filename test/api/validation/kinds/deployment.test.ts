import { suite } from 'uvu'
import { runCases, type Case } from './cases.js'
import { deployment, replicaSet } from './fixtures.js'

const test = suite('kinds: Deployment')

const ru = 'spec.strategy.rollingUpdate'
const cases: Case[] = [
  { name: 'selector required', mutate: (o) => delete o.spec.selector, field: 'spec.selector', reason: 'FieldValueRequired' },
  {
    name: 'empty selector',
    mutate: (o) => (o.spec.selector = {}),
    field: 'spec.selector',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  },
  {
    name: 'selector does not match template labels',
    mutate: (o) => (o.spec.selector.matchLabels.app = 'api'),
    field: 'spec.template.metadata.labels',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: map[string]string{"app":"web", "tier":"front"}: `selector` does not match template `labels`',
  },
  {
    name: 'matchExpressions In without values',
    mutate: (o) => (o.spec.selector.matchExpressions = [{ key: 'tier', operator: 'In', values: [] }]),
    field: 'spec.selector.matchExpressions[0].values',
    reason: 'FieldValueRequired',
  },
  {
    name: 'matchExpressions operator unknown',
    mutate: (o) => (o.spec.selector.matchExpressions = [{ key: 'tier', operator: 'Has' }]),
    field: 'spec.selector.matchExpressions[0].operator',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'matchExpressions NotIn excludes the template',
    mutate: (o) => (o.spec.selector.matchExpressions = [{ key: 'tier', operator: 'NotIn', values: ['front'] }]),
    field: 'spec.template.metadata.labels',
    reason: 'FieldValueInvalid',
  },
  { name: 'negative replicas', mutate: (o) => (o.spec.replicas = -1), field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' },
  {
    name: 'template restartPolicy OnFailure',
    mutate: (o) => (o.spec.template.spec.restartPolicy = 'OnFailure'),
    field: 'spec.template.spec.restartPolicy',
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "OnFailure": supported values: "Always"',
  },
  {
    name: 'template activeDeadlineSeconds',
    mutate: (o) => (o.spec.template.spec.activeDeadlineSeconds = 30),
    field: 'spec.template.spec.activeDeadlineSeconds',
    reason: 'FieldValueForbidden',
  },
  {
    name: 'template container image missing (pod spec rules apply)',
    mutate: (o) => delete o.spec.template.spec.containers[0].image,
    field: 'spec.template.spec.containers[0].image',
    reason: 'FieldValueRequired',
  },
  {
    name: 'template label value invalid (Kubernetes path without metadata)',
    mutate: (o) => (o.spec.template.metadata.labels.tier = 'front end'),
    field: 'spec.template.labels',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'strategy type unknown',
    mutate: (o) => (o.spec.strategy = { type: 'BlueGreen' }),
    field: 'spec.strategy',
    reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
  },
  {
    name: 'Recreate with rollingUpdate',
    mutate: (o) => (o.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
    field: `spec.strategy.rollingUpdate`,
    reason: 'FieldValueForbidden',
    message: "Forbidden: may not be specified when strategy `type` is 'Recreate'",
  },
  {
    name: 'maxSurge and maxUnavailable both 0',
    mutate: (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
    field: `${ru}.maxUnavailable`,
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 0: may not be 0 when `maxSurge` is 0',
  },
  {
    name: 'maxSurge and maxUnavailable both 0%',
    mutate: (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } }),
    field: `${ru}.maxUnavailable`,
    reason: 'FieldValueInvalid',
  },
  {
    name: 'maxUnavailable above 100%',
    mutate: (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '120%' } }),
    field: `${ru}.maxUnavailable`,
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 120%: must not be greater than 100%',
  },
  {
    name: 'maxSurge not a percentage',
    mutate: (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25', maxUnavailable: 1 } }),
    field: `${ru}.maxSurge`,
    reason: 'FieldValueInvalid',
    message:
      "Invalid value: 25: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  },
  {
    name: 'maxSurge negative',
    mutate: (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: -1, maxUnavailable: 1 } }),
    field: `${ru}.maxSurge`,
    reason: 'FieldValueInvalid',
  },
  { name: 'revisionHistoryLimit negative', mutate: (o) => (o.spec.revisionHistoryLimit = -1), field: 'spec.revisionHistoryLimit', reason: 'FieldValueInvalid' },
  { name: 'minReadySeconds negative', mutate: (o) => (o.spec.minReadySeconds = -5), field: 'spec.minReadySeconds', reason: 'FieldValueInvalid' },
  {
    name: 'progressDeadlineSeconds not above minReadySeconds',
    mutate: (o) => {
      o.spec.minReadySeconds = 600
      o.spec.progressDeadlineSeconds = 600
    },
    field: 'spec.progressDeadlineSeconds',
    reason: 'FieldValueInvalid',
    message: 'Invalid value: 600: must be greater than minReadySeconds',
  },
  {
    name: 'selector changed on update',
    update: true,
    mutate: (o) => {
      o.spec.selector.matchLabels = { app: 'web', tier: 'front' }
    },
    field: 'spec.selector',
    reason: 'FieldValueInvalid',
    message:
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  },
]

runCases(test, deployment, cases)
test.run()

const rs = suite('kinds: ReplicaSet')
runCases(rs, replicaSet, [
  { name: 'selector required', mutate: (o) => delete o.spec.selector, field: 'spec.selector', reason: 'FieldValueRequired' },
  { name: 'template labels not selected', mutate: (o) => (o.spec.template.metadata.labels = { app: 'api' }), field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid' },
  { name: 'negative replicas', mutate: (o) => (o.spec.replicas = -2), field: 'spec.replicas', reason: 'FieldValueInvalid' },
  { name: 'restartPolicy Never', mutate: (o) => (o.spec.template.spec.restartPolicy = 'Never'), field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported' },
  { name: 'selector changed on update', update: true, mutate: (o) => (o.spec.selector = { matchLabels: { tier: 'front' } }), field: 'spec.selector', reason: 'FieldValueInvalid' },
])
rs.run()
