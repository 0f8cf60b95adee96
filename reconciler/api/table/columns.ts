/**
 * The table columns kube-apiserver's table convertor gives kubectl, per kind
 * (k8s.io/kubernetes/pkg/printers/internalversion/printers.go), plus capstan's kinds.
 */
import { ageColumn, nameColumn } from './columns/common.js'
import { configMapColumns, endpointsColumns, eventColumns, namespaceColumns, secretColumns } from './columns/core.js'
import { hpaColumns } from './columns/hpa.js'
import { ingressColumns, serviceColumns } from './columns/network.js'
import { nodeColumns } from './columns/node.js'
import { nodePoolColumns, syncRecordColumns } from './columns/capstan.js'
import { podColumns } from './columns/pod.js'
import { deploymentColumns, replicaSetColumns } from './columns/workloads.js'
import type { Column } from './types.js'

/** NAME AGE: the server's default for a kind without its own printer. */
export const defaultColumns: Column[] = [nameColumn, ageColumn]

/** Columns keyed by "group/Kind" ("" for the core group). */
const byGroupKind: Record<string, Column[]> = {
  '/Namespace': namespaceColumns,
  '/ConfigMap': configMapColumns,
  '/Secret': secretColumns,
  '/Service': serviceColumns,
  '/Endpoints': endpointsColumns,
  '/Pod': podColumns,
  '/Node': nodeColumns,
  '/Event': eventColumns,
  'apps/Deployment': deploymentColumns,
  'apps/ReplicaSet': replicaSetColumns,
  'extensions/Deployment': deploymentColumns,
  'extensions/ReplicaSet': replicaSetColumns,
  'extensions/Ingress': ingressColumns,
  'autoscaling/HorizontalPodAutoscaler': hpaColumns,
  'networking.k8s.io/Ingress': ingressColumns,
  'capstan.dev/NodePool': nodePoolColumns,
  'capstan.dev/SyncRecord': syncRecordColumns,
}

/** The API group of an apiVersion ("apps/v1" → "apps", "v1" → ""). */
export function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? ''
  const slash = v.indexOf('/')
  return slash < 0 ? '' : v.slice(0, slash)
}

/** The columns for a kind (with its apiVersion or group); NAME AGE for an unknown kind. */
export function columnsFor(kind: string, apiVersionOrGroup?: string): Column[] {
  const g = apiVersionOrGroup === undefined ? undefined : apiVersionOrGroup.includes('/') || /^v\d/.test(apiVersionOrGroup) ? groupOf(apiVersionOrGroup) : apiVersionOrGroup
  if (g !== undefined) return byGroupKind[`${g}/${kind}`] ?? defaultColumns
  const match = Object.entries(byGroupKind).find(([k]) => k.endsWith(`/${kind}`))
  return match ? match[1] : defaultColumns
}
