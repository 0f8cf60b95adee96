/**
 * Which fields each kind can be selected by, and their values, as kube-apiserver 1.32 has them: the
 * field label conversion functions registered per kind (pkg/apis/core/v1/conversion.go) decide what
 * a selector may name, the registry strategies' ToSelectableFields what each field's value is.
 */
import { kindByName } from '../kinds.js'
import { goQuote } from '../validation/go-format.js'

type Obj = Record<string, unknown>

const get = (o: unknown, ...path: string[]): unknown => {
  let v: unknown = o
  for (const p of path) v = v && typeof v === 'object' ? (v as Obj)[p] : undefined
  return v
}
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v))

/** How a kind's field labels are accepted and how a refusal reads. */
interface FieldSpec {
  /** Accepted labels; a value is the label it is converted to (Pod `spec.host` → `spec.nodeName`). */
  labels: Record<string, string>
  /** `registered`: the kind's own conversion func; `default`: apimachinery's default; `custom`: a CRD's. */
  style: 'registered' | 'default' | 'custom'
  /** The value of each selectable field, beyond metadata.name and metadata.namespace. */
  values?: (obj: Obj) => Record<string, string>
}

const same = (...names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, n]))

const specs: Record<string, FieldSpec> = {
  Pod: {
    style: 'registered',
    labels: {
      ...same(
        'metadata.name',
        'metadata.namespace',
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.nominatedNodeName',
      ),
      'spec.host': 'spec.nodeName', // old v1 clients
    },
    values: (o) => {
      const podIPs = get(o, 'status', 'podIPs')
      const first = Array.isArray(podIPs) && podIPs.length ? str(get(podIPs[0], 'ip')) : str(get(o, 'status', 'podIP'))
      return {
        'spec.nodeName': str(get(o, 'spec', 'nodeName')),
        'spec.restartPolicy': str(get(o, 'spec', 'restartPolicy')),
        'spec.schedulerName': str(get(o, 'spec', 'schedulerName')),
        'spec.serviceAccountName': str(get(o, 'spec', 'serviceAccountName')),
        'spec.hostNetwork': String(get(o, 'spec', 'hostNetwork') === true),
        'status.phase': str(get(o, 'status', 'phase')),
        'status.podIP': first,
        'status.nominatedNodeName': str(get(o, 'status', 'nominatedNodeName')),
      }
    },
  },
  Node: {
    style: 'registered',
    labels: same('metadata.name', 'spec.unschedulable'),
    values: (o) => ({ 'spec.unschedulable': String(get(o, 'spec', 'unschedulable') === true) }),
  },
  Namespace: {
    style: 'registered',
    labels: same('metadata.name', 'status.phase'),
    values: (o) => ({ 'status.phase': str(get(o, 'status', 'phase')) }),
  },
  Secret: {
    style: 'registered',
    labels: same('metadata.name', 'metadata.namespace', 'type'),
    values: (o) => ({ type: str(o.type) }),
  },
  Service: {
    style: 'registered',
    labels: same('metadata.name', 'metadata.namespace', 'spec.clusterIP', 'spec.type'),
    values: (o) => ({ 'spec.clusterIP': str(get(o, 'spec', 'clusterIP')), 'spec.type': str(get(o, 'spec', 'type')) }),
  },
  Event: {
    style: 'registered',
    labels: same(
      'metadata.name',
      'metadata.namespace',
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ),
    values: (o) => {
      const io = (f: string): string => str(get(o, 'involvedObject', f))
      const reporting = str(o.reportingComponent)
      return {
        'involvedObject.kind': io('kind'),
        'involvedObject.namespace': io('namespace'),
        'involvedObject.name': io('name'),
        'involvedObject.uid': io('uid'),
        'involvedObject.apiVersion': io('apiVersion'),
        'involvedObject.resourceVersion': io('resourceVersion'),
        'involvedObject.fieldPath': io('fieldPath'),
        reason: str(o.reason),
        reportingComponent: reporting,
        source: str(get(o, 'source', 'component')) || reporting,
        type: str(o.type),
      }
    },
  },
}

/** The field spec of a kind; kinds without a registered conversion get the default or a CRD's. */
function specFor(kind: string): FieldSpec {
  const known = specs[kind]
  if (known) return known
  const info = kindByName(kind)
  if (info && info.group === 'capstan.dev') {
    // capstan's own kinds behave as custom resources: metadata.namespace only when namespaced.
    return { style: 'custom', labels: info.namespaced ? same('metadata.name', 'metadata.namespace') : same('metadata.name') }
  }
  return { style: 'default', labels: same('metadata.name', 'metadata.namespace') }
}

/** The field labels a selector may name for `kind`, sorted. */
export function supportedFields(kind: string): string[] {
  return Object.keys(specFor(kind).labels).sort()
}

/** The label a selector's field is converted to, or the error text kube-apiserver gives. */
export function convertFieldLabel(kind: string, label: string): { label: string } | { error: string } {
  const spec = specFor(kind)
  if (Object.hasOwn(spec.labels, label)) return { label: spec.labels[label] }
  if (spec.style === 'default') return { error: `${goQuote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"` }
  return { error: `field label not supported: ${label}` }
}

/** The selectable field values of an object of `kind` (ToSelectableFields). */
export function selectableFields(kind: string, obj: unknown): Record<string, string> {
  const o = (obj && typeof obj === 'object' ? obj : {}) as Obj
  const info = kindByName(kind)
  const namespaced = info ? info.namespaced : true
  const out: Record<string, string> = { 'metadata.name': str(get(o, 'metadata', 'name')) }
  if (namespaced) out['metadata.namespace'] = str(get(o, 'metadata', 'namespace'))
  return { ...out, ...(specFor(kind).values?.(o) ?? {}) }
}
