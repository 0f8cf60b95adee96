/**
 * Derives capstan's JSON Schemas (`schemas/`) from the official Kubernetes OpenAPI v3 documents in
 * `../shared/k8s-openapi/v1.32/` and adds capstan's own kinds (NodePool, SyncRecord).
 *
 * Output: draft-07 schemas. `schemas/definitions.json` holds every shared definition under short
 * names (`PodSpec`, `ObjectMeta`, …); `schemas/<kind>.json` holds one kind's root object and refers
 * to the definitions with relative `$ref`s (`definitions.json#/definitions/PodSpec`).
 *
 * Modelled definitions are closed (`additionalProperties: false`), so a typo is an error. Valid
 * fields whose types capstan does not model are declared with an opaque object schema
 * (`x-capstan-opaque: true`) so their values are accepted and kept as they are.
 *
 * Run with `npm run gen:schemas`. `renderSchemas()` is exported for the freshness test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Ajv, type AnySchema } from 'ajv'
// A CommonJS module: the default import is `module.exports` (the function, which also carries
// itself as `.default`); TypeScript types it as the module record, so call `.default`.
import standalone from 'ajv/dist/standalone/index.js'

/** A JSON Schema / OpenAPI schema object, loosely typed: the generator copies what it does not know. */
type Schema = { [key: string]: unknown }

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Where the official documents live (outside the repository; never copied into it). */
export const openapiDir = resolve(repoRoot, '..', 'shared', 'k8s-openapi', 'v1.32')

const documents = ['api/v1.json', 'apis/apps/v1.json', 'apis/autoscaling/v2.json', 'apis/networking.k8s.io/v1.json']

/** The Kubernetes kinds capstan serves, by OpenAPI definition name. */
export const kubernetesKinds: Record<string, string> = {
  Namespace: 'io.k8s.api.core.v1.Namespace',
  ConfigMap: 'io.k8s.api.core.v1.ConfigMap',
  Secret: 'io.k8s.api.core.v1.Secret',
  Service: 'io.k8s.api.core.v1.Service',
  Endpoints: 'io.k8s.api.core.v1.Endpoints',
  Pod: 'io.k8s.api.core.v1.Pod',
  Node: 'io.k8s.api.core.v1.Node',
  Event: 'io.k8s.api.core.v1.Event',
  Deployment: 'io.k8s.api.apps.v1.Deployment',
  ReplicaSet: 'io.k8s.api.apps.v1.ReplicaSet',
  HorizontalPodAutoscaler: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  Ingress: 'io.k8s.api.networking.v1.Ingress',
}

/**
 * Definitions capstan accepts but does not check: no controller reads them, and most pull in large
 * subtrees. A field of one of these types keeps its name and list annotations; its value is opaque.
 * Keep this list in step with the table in schemas/README.md.
 */
export const opaqueDefinitions = new Set([
  // Container and pod details the simulation does not act on.
  'io.k8s.api.core.v1.Probe',
  'io.k8s.api.core.v1.Lifecycle',
  'io.k8s.api.core.v1.SecurityContext',
  'io.k8s.api.core.v1.PodSecurityContext',
  'io.k8s.api.core.v1.PodAffinity',
  'io.k8s.api.core.v1.PodAntiAffinity',
  'io.k8s.api.core.v1.PodDNSConfig',
  'io.k8s.api.core.v1.HostAlias',
  'io.k8s.api.core.v1.EphemeralContainer',
  'io.k8s.api.core.v1.ContainerResizePolicy',
  'io.k8s.api.core.v1.VolumeDevice',
  'io.k8s.api.core.v1.PodResourceClaim',
  'io.k8s.api.core.v1.PodResourceClaimStatus',
  'io.k8s.api.core.v1.ContainerUser',
  'io.k8s.api.core.v1.ResourceStatus',
  // Volume sources other than configMap, secret and emptyDir.
  'io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource',
  'io.k8s.api.core.v1.AzureDiskVolumeSource',
  'io.k8s.api.core.v1.AzureFileVolumeSource',
  'io.k8s.api.core.v1.CSIVolumeSource',
  'io.k8s.api.core.v1.CephFSVolumeSource',
  'io.k8s.api.core.v1.CinderVolumeSource',
  'io.k8s.api.core.v1.DownwardAPIVolumeSource',
  'io.k8s.api.core.v1.EphemeralVolumeSource',
  'io.k8s.api.core.v1.FCVolumeSource',
  'io.k8s.api.core.v1.FlexVolumeSource',
  'io.k8s.api.core.v1.FlockerVolumeSource',
  'io.k8s.api.core.v1.GCEPersistentDiskVolumeSource',
  'io.k8s.api.core.v1.GitRepoVolumeSource',
  'io.k8s.api.core.v1.GlusterfsVolumeSource',
  'io.k8s.api.core.v1.HostPathVolumeSource',
  'io.k8s.api.core.v1.ISCSIVolumeSource',
  'io.k8s.api.core.v1.ImageVolumeSource',
  'io.k8s.api.core.v1.NFSVolumeSource',
  'io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource',
  'io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource',
  'io.k8s.api.core.v1.PortworxVolumeSource',
  'io.k8s.api.core.v1.ProjectedVolumeSource',
  'io.k8s.api.core.v1.QuobyteVolumeSource',
  'io.k8s.api.core.v1.RBDVolumeSource',
  'io.k8s.api.core.v1.ScaleIOVolumeSource',
  'io.k8s.api.core.v1.StorageOSVolumeSource',
  'io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource',
  // Service and Node details.
  'io.k8s.api.core.v1.SessionAffinityConfig',
  'io.k8s.api.core.v1.NodeConfigSource',
  'io.k8s.api.core.v1.NodeConfigStatus',
])

/**
 * Closed value sets the official document only states in prose. kube-apiserver's validation rejects
 * other values with FieldValueNotSupported; capstan rejects them at the schema. (Values sorted, as
 * Kubernetes lists them in the message.) Keys are `Definition.property`.
 */
const enums: Record<string, string[]> = {
  'Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'ContainerPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'ServicePort.protocol': ['SCTP', 'TCP', 'UDP'],
  'EndpointPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'ServiceSpec.type': ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  'ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'PodSpec.restartPolicy': ['Always', 'Never', 'OnFailure'],
  'PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'Taint.effect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'NodeSelectorRequirement.operator': ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
  'LabelSelectorRequirement.operator': ['DoesNotExist', 'Exists', 'In', 'NotIn'],
  'TopologySpreadConstraint.whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'HTTPIngressPath.pathType': ['Exact', 'ImplementationSpecific', 'Prefix'],
  'MetricSpec.type': ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'],
  'MetricTarget.type': ['AverageValue', 'Utilization', 'Value'],
}

/** Annotations copied from the OpenAPI documents wherever they appear. */
const keptKeywords = [
  'description',
  'type',
  'format',
  'default',
  'required',
  'enum',
  'x-kubernetes-group-version-kind',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-map-type',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-unions',
]

function shortName(openapiName: string): string {
  return openapiName.slice(openapiName.lastIndexOf('.') + 1)
}

function loadOfficial(): Record<string, Schema> {
  const all: Record<string, Schema> = {}
  for (const doc of documents) {
    const parsed = JSON.parse(readFileSync(join(openapiDir, doc), 'utf8')) as { components: { schemas: Record<string, Schema> } }
    Object.assign(all, parsed.components.schemas)
  }
  return all
}

/** Converts the official definitions reachable from the kinds into capstan's definitions. */
class Converter {
  readonly definitions: Record<string, Schema> = {}
  private readonly origin = new Map<string, string>()
  constructor(private readonly official: Record<string, Schema>) {}

  /** Converts a kind's root definition (kept out of `definitions`), closed to unknown fields. */
  root(openapiName: string, kind: string): Schema {
    const root = this.convert(this.official[openapiName], kind)
    root.additionalProperties = false
    return root
  }

  /** Makes sure `openapiName` is converted into `definitions` and returns its short name. */
  define(openapiName: string): string {
    const short = shortName(openapiName)
    const seen = this.origin.get(short)
    if (seen === openapiName) return short
    if (seen) throw new Error(`definition name clash: ${seen} and ${openapiName} are both ${short}`)
    this.origin.set(short, openapiName)
    const source = this.official[openapiName]
    if (!source) throw new Error(`no definition ${openapiName} in the OpenAPI documents`)
    this.definitions[short] = {} // reserve the slot first: definitions may refer to each other
    this.definitions[short] = this.convertDefinition(short, source)
    return short
  }

  private convertDefinition(short: string, source: Schema): Schema {
    switch (short) {
      case 'IntOrString':
        return {
          description: source.description,
          type: ['integer', 'string'],
          'x-kubernetes-int-or-string': true,
        }
      case 'Quantity':
        return { description: source.description, type: ['string', 'number'] }
      case 'FieldsV1':
        return { description: source.description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
    }
    const out = this.convert(source, short)
    if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false
    return out
  }

  /** Converts one schema node; `owner` names the enclosing definition (for the enum table). */
  private convert(source: Schema, owner: string): Schema {
    const out: Schema = {}
    const target = refTarget(source)
    if (target) {
      // `allOf: [{$ref}]` with siblings: flatten to `$ref` plus the siblings (ajv and
      // json-schema-to-typescript both honour `$ref` with annotation siblings).
      if (opaqueDefinitions.has(target)) {
        const desc = (this.official[target]?.description as string | undefined) ?? ''
        Object.assign(out, {
          description: joinDescription(source.description as string | undefined, desc),
          type: 'object',
          'x-capstan-opaque': true,
        })
      } else {
        out.$ref = `#/definitions/${this.define(target)}`
        if (source.description !== undefined) out.description = source.description
      }
      copyKept(source, out, ['description', 'type'])
      return out
    }
    copyKept(source, out, [])
    if (source.properties) {
      const props: Record<string, Schema> = {}
      for (const [name, value] of Object.entries(source.properties as Record<string, Schema>)) {
        const converted = this.convert(value, owner)
        const values = enums[`${owner}.${name}`]
        if (values) converted.enum = values
        props[name] = converted
      }
      out.properties = props
    }
    if (source.items) out.items = this.convert(source.items as Schema, owner)
    if (source.additionalProperties !== undefined) {
      const ap = source.additionalProperties
      out.additionalProperties = typeof ap === 'object' && ap !== null ? this.convert(ap as Schema, owner) : ap
    }
    if (out.type === 'object' && !out.properties && out.additionalProperties === undefined) {
      // A free-form object in OpenAPI (e.g. RawExtension): keep whatever it holds.
      out['x-kubernetes-preserve-unknown-fields'] = true
    }
    return out
  }
}

function refTarget(s: Schema): string | undefined {
  if (typeof s.$ref === 'string') return s.$ref.slice(s.$ref.lastIndexOf('/') + 1)
  const all = s.allOf as Schema[] | undefined
  if (all && all.length === 1 && typeof all[0].$ref === 'string') return refTarget(all[0])
  return undefined
}

function copyKept(from: Schema, to: Schema, skip: string[]): void {
  for (const key of keptKeywords) if (from[key] !== undefined && !skip.includes(key)) to[key] = from[key]
}

function joinDescription(a: string | undefined, b: string): string {
  const note = 'Not modelled by capstan: accepted and kept unchanged, not checked.'
  return [a ?? b, note].filter(Boolean).join('\n\n')
}

// ---------------------------------------------------------------------------------------------
// capstan's own kinds (group capstan.dev, version v1alpha1, both cluster-scoped)

const ref = (name: string, extra: Schema = {}): Schema => ({ $ref: `#/definitions/${name}`, ...extra })
const str = (description: string, extra: Schema = {}): Schema => ({ description, type: 'string', ...extra })
const int = (description: string, extra: Schema = {}): Schema => ({ description, type: 'integer', format: 'int32', ...extra })
const closed = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  description,
  type: 'object',
  ...(required ? { required } : {}),
  properties,
  additionalProperties: false,
})
const stringMap = (description: string): Schema => ({ description, type: 'object', additionalProperties: { type: 'string' } })

function capstanDefinitions(): Record<string, Schema> {
  return {
    NodePoolSpec: closed(
      'NodePoolSpec describes a group of identical simulated nodes spread over zones.',
      {
        region: str('The region the zones belong to (e.g. "europe-west1").'),
        zones: {
          description: 'The zones to place nodes in.',
          type: 'array',
          items: { type: 'string' },
          'x-kubernetes-list-type': 'set',
        },
        nodesPerZone: int('The number of nodes in each zone listed in zones.', { minimum: 0 }),
        zoneCounts: {
          description: 'The number of nodes per zone, when zones differ. Overrides nodesPerZone for the zones it names.',
          type: 'object',
          additionalProperties: { type: 'integer', format: 'int32', minimum: 0 },
        },
        machineType: ref('NodePoolMachineType', { description: 'The shape of every node in the pool.' }),
        labels: stringMap('Labels put on every node of the pool.'),
        taints: {
          description: 'Taints put on every node of the pool.',
          type: 'array',
          items: ref('Taint'),
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['key', 'effect'],
        },
      },
      ['machineType'],
    ),
    NodePoolMachineType: closed(
      'NodePoolMachineType is the capacity of one node.',
      {
        name: str('A machine type name, for display (e.g. "e2-standard-4").'),
        cpu: ref('Quantity', { description: 'CPU capacity (e.g. "4" or "3500m").' }),
        memory: ref('Quantity', { description: 'Memory capacity (e.g. "16Gi").' }),
        pods: int('The maximum number of pods per node.', { default: 110, minimum: 0 }),
      },
      ['cpu', 'memory'],
    ),
    NodePoolStatus: closed('NodePoolStatus is the observed state of a NodePool.', {
      nodes: int('The number of nodes in the pool.'),
      readyNodes: int('The number of Ready nodes in the pool.'),
      zones: {
        description: 'Per-zone counts.',
        type: 'array',
        items: ref('NodePoolZoneStatus'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      observedGeneration: { description: 'The generation last acted on.', type: 'integer', format: 'int64' },
      conditions: {
        description: 'The latest observations of the pool.',
        type: 'array',
        items: ref('Condition'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      },
    }),
    NodePoolZoneStatus: closed(
      'NodePoolZoneStatus counts the nodes of one zone.',
      { name: str('The zone.'), nodes: int('Nodes in the zone.'), readyNodes: int('Ready nodes in the zone.') },
      ['name'],
    ),
    SyncRecordSpec: closed(
      'SyncRecordSpec records one sync: the commit it applied, what changed, and the Deployment revisions that resulted.',
      {
        repo: str('The repository synced (path or URL).'),
        ref: str('The ref synced (e.g. "refs/heads/main").'),
        path: str('The folder within the repository.'),
        commit: str('The commit synced (full object id).'),
        author: ref('SyncRecordAuthor', { description: 'The author of the commit.' }),
        subject: str('The first line of the commit message.'),
        time: ref('Time', { description: 'When the sync ran.' }),
        trigger: str('What started the sync.', { enum: ['drift', 'manual', 'poll', 'undo', 'webhook'] }),
        result: str('The outcome.', { enum: ['DryRun', 'Failed', 'Succeeded'] }),
        reason: str('A PascalCase reason for the outcome (e.g. "ValidationFailed").'),
        message: str('A human-readable message about the outcome.'),
        changes: {
          description: 'What the sync did to each object.',
          type: 'array',
          items: ref('SyncRecordChange'),
          'x-kubernetes-list-type': 'atomic',
        },
        deployments: {
          description: 'The revision each Deployment the sync touched ended up at.',
          type: 'array',
          items: ref('SyncRecordDeployment'),
          'x-kubernetes-list-type': 'atomic',
        },
        revertOf: str('When the synced commit reverts another, that commit (full object id).'),
      },
      // Not `commit`: a sync that fails before resolving the ref has none.
      ['result'],
    ),
    SyncRecordAuthor: closed('SyncRecordAuthor is the author of a commit.', {
      name: str('The author name.'),
      email: str('The author email.'),
    }),
    SyncRecordChange: closed(
      'SyncRecordChange is what a sync did to one object.',
      {
        action: str('The action taken.', { enum: ['create', 'prune', 'unchanged', 'update'] }),
        group: str('The API group ("" for core).'),
        version: str('The API version.'),
        kind: str('The kind.'),
        namespace: str('The namespace ("" for cluster-scoped objects).'),
        name: str('The name.'),
        file: str('The file the object came from (absent for a prune).'),
      },
      ['action', 'kind', 'name'],
    ),
    SyncRecordDeployment: closed(
      'SyncRecordDeployment is the revision one Deployment reached in a sync.',
      {
        namespace: str('The Deployment namespace.'),
        name: str('The Deployment name.'),
        revision: { description: 'The deployment.kubernetes.io/revision reached.', type: 'integer', format: 'int64' },
        replicaSet: str('The ReplicaSet that holds the revision.'),
        podTemplateHash: str('The pod-template-hash of that ReplicaSet.'),
        previousRevision: { description: 'The revision before the sync.', type: 'integer', format: 'int64' },
        rollback: { description: 'True when the revision came from an existing ReplicaSet (no new one).', type: 'boolean' },
      },
      ['namespace', 'name', 'revision'],
    ),
  }
}

function capstanKind(kind: string, description: string, spec: string, status?: string): Schema {
  const properties: Record<string, Schema> = {
    apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
    kind: str('Kind is a string value representing the REST resource this object represents.'),
    metadata: ref('ObjectMeta', { description: "Standard object's metadata.", default: {} }),
    spec: ref(spec, { default: {} }),
  }
  if (status) properties.status = ref(status, { default: {} })
  return {
    description,
    type: 'object',
    properties,
    additionalProperties: false,
    'x-kubernetes-group-version-kind': [{ group: 'capstan.dev', kind, version: 'v1alpha1' }],
  }
}

// ---------------------------------------------------------------------------------------------

/** Rewrites `#/definitions/X` to `definitions.json#/definitions/X` for a kind file. */
function relink(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(relink)
  if (s && typeof s === 'object') {
    const out: Schema = {}
    for (const [k, v] of Object.entries(s)) {
      out[k] = k === '$ref' && typeof v === 'string' ? `definitions.json${v}` : relink(v)
    }
    return out
  }
  return s
}

const schemaBase = 'https://capstan.dev/schemas/'

/** Renders every schema file: file name → JSON text. */
export function renderSchemas(): Record<string, string> {
  const converter = new Converter(loadOfficial())
  const roots: Record<string, Schema> = {}
  for (const [kind, openapiName] of Object.entries(kubernetesKinds)) {
    roots[kind] = converter.root(openapiName, kind)
  }
  // Definitions capstan's own kinds use that the Kubernetes kinds may not reach.
  converter.define('io.k8s.api.core.v1.Taint')
  converter.define('io.k8s.apimachinery.pkg.apis.meta.v1.Condition')
  converter.define('io.k8s.apimachinery.pkg.apis.meta.v1.Time')
  converter.define('io.k8s.apimachinery.pkg.api.resource.Quantity')
  Object.assign(converter.definitions, capstanDefinitions())
  roots.NodePool = capstanKind(
    'NodePool',
    'NodePool is a group of simulated nodes of one machine type, spread over zones (capstan.dev).',
    'NodePoolSpec',
    'NodePoolStatus',
  )
  roots.SyncRecord = capstanKind('SyncRecord', 'SyncRecord records one sync of a git commit (capstan.dev).', 'SyncRecordSpec')

  const files: Record<string, string> = {}
  const sortedDefs: Record<string, Schema> = {}
  for (const name of Object.keys(converter.definitions).sort()) sortedDefs[name] = converter.definitions[name]
  files['definitions.json'] = json({
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${schemaBase}definitions.json`,
    $comment: 'Generated by scripts/gen-schemas.ts from the Kubernetes v1.32 OpenAPI documents. Do not edit.',
    definitions: sortedDefs,
  })
  for (const kind of Object.keys(roots).sort()) {
    const file = `${kind.toLowerCase()}.json`
    files[file] = json({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `${schemaBase}${file}`,
      $comment: 'Generated by scripts/gen-schemas.ts. Do not edit.',
      title: kind,
      ...(relink(roots[kind]) as Schema),
    })
  }
  return files
}

/**
 * Formats the validators check. Regular expressions are written into the standalone code; the
 * numeric formats are left to the `type` keyword (int32/int64 ranges are not checked).
 */
export const validatorFormats: Record<string, RegExp | true> = {
  // RFC 3339, as metav1.Time parses it.
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  // Standard base64 with padding, as Secret data is decoded.
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  int32: true,
  int64: true,
  double: true,
}

/**
 * Renders `schemas/validators.cjs`: every kind's ajv validator compiled ahead of time (ajv
 * standalone code), so a one-shot command does not pay ajv's compile time (~150 ms for Deployment).
 * Depends only on the schema files, so the freshness test needs no OpenAPI documents.
 */
export function renderValidators(files: Record<string, string>): string {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, lines: true } })
  for (const [name, format] of Object.entries(validatorFormats)) ajv.addFormat(name, format)
  ajv.addSchema(withoutDescriptions(JSON.parse(files['definitions.json'])) as AnySchema)
  const exportsByKind: Record<string, string> = {}
  for (const file of Object.keys(files).sort()) {
    if (!file.endsWith('.json') || file === 'definitions.json') continue
    const schema = withoutDescriptions(JSON.parse(files[file])) as { $id: string; title: string } & AnySchema
    ajv.addSchema(schema)
    exportsByKind[schema.title] = schema.$id
  }
  const code = standalone.default(ajv, exportsByKind)
  return `// Generated by scripts/gen-schemas.ts (ajv standalone code for schemas/*.json). Do not edit.\n${code}\n`
}

/** A copy of a schema without `description`/`$comment` (they only bloat compiled code). */
function withoutDescriptions(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(withoutDescriptions)
  if (!s || typeof s !== 'object') return s
  const out: Schema = {}
  for (const [k, v] of Object.entries(s)) {
    // Keep a property *named* description (e.g. in SyncRecord); drop the keyword.
    if ((k === 'description' || k === '$comment') && typeof v === 'string') continue
    out[k] = withoutDescriptions(v)
  }
  return out
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

function main(): void {
  if (!existsSync(openapiDir)) {
    console.error(`gen-schemas: ${openapiDir} not found (the official OpenAPI documents are needed)`)
    process.exit(2)
  }
  const out = join(repoRoot, 'schemas')
  mkdirSync(out, { recursive: true })
  const files = renderSchemas()
  files['validators.cjs'] = renderValidators(files)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text)
  console.log(`gen-schemas: wrote ${Object.keys(files).length} files to schemas/`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
