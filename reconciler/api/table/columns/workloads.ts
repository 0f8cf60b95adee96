/** Columns of Deployment and ReplicaSet (printers.go printDeployment, printReplicaSet). */
import { getPath } from '../get-path.js'
import { formatLabelSelector, labelSelectorString } from '../labels.js'
import type { Column } from '../types.js'
import { ageColumn, containerColumns, int, nameColumn } from './common.js'

/** NAME READY UP-TO-DATE AVAILABLE AGE (+ wide CONTAINERS IMAGES SELECTOR). */
export const deploymentColumns: Column[] = [
  nameColumn,
  { name: 'Ready', priority: 0, type: 'string', description: 'Number of the pod with ready state',
    cell: (o) => `${int(getPath(o, 'status.readyReplicas'))}/${int(getPath(o, 'spec.replicas'))}` },
  { name: 'Up-to-date', priority: 0, type: 'string', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    cell: (o) => int(getPath(o, 'status.updatedReplicas')) },
  { name: 'Available', priority: 0, type: 'string', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    cell: (o) => int(getPath(o, 'status.availableReplicas')) },
  ageColumn,
  ...containerColumns('spec.template'),
  { name: 'Selector', priority: 1, type: 'string', description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
    cell: (o) => labelSelectorString(getPath(o, 'spec.selector')) ?? '<invalid>' },
]

/** NAME DESIRED CURRENT READY AGE (+ wide CONTAINERS IMAGES SELECTOR). */
export const replicaSetColumns: Column[] = [
  nameColumn,
  { name: 'Desired', priority: 0, type: 'integer', description: 'Replicas is the number of desired replicas.', cell: (o) => int(getPath(o, 'spec.replicas')) },
  { name: 'Current', priority: 0, type: 'integer', description: 'Replicas is the most recently observed number of replicas.', cell: (o) => int(getPath(o, 'status.replicas')) },
  { name: 'Ready', priority: 0, type: 'integer', description: 'The number of ready replicas for this replica set.', cell: (o) => int(getPath(o, 'status.readyReplicas')) },
  ageColumn,
  ...containerColumns('spec.template'),
  { name: 'Selector', priority: 1, type: 'string', description: 'Selector is a label query over pods that should match the replica count.',
    cell: (o) => formatLabelSelector(getPath(o, 'spec.selector')) },
]
