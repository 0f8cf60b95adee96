/** The Containers section of Pods and pod templates: image, ports, state, resources, probes, env, mounts. */
import { byteCompare } from '../../api/table/labels.js'
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './prefix-writer.js'
import { printBool, stringOrNone } from './print-meta.js'
import { canonicalQuantity, formatQuantity, parseQuantity, quantityMilliValue, quantityOf, quantityValue } from './quantity.js'
import { formatRFC1123Z } from './time-format.js'

type KeyRef = { name?: string; key?: string; optional?: boolean }
type EnvVar = {
  name?: string
  value?: string
  valueFrom?: {
    fieldRef?: { apiVersion?: string; fieldPath?: string }
    resourceFieldRef?: { containerName?: string; resource?: string; divisor?: string | number }
    configMapKeyRef?: KeyRef
    secretKeyRef?: KeyRef
  }
}
type EnvFrom = { prefix?: string; configMapRef?: { name?: string; optional?: boolean }; secretRef?: { name?: string; optional?: boolean } }
type Port = { containerPort?: number; hostPort?: number; protocol?: string; name?: string }
type Probe = {
  exec?: { command?: string[] }
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string }
  tcpSocket?: { port?: number | string; host?: string }
  grpc?: { port?: number; service?: string }
  initialDelaySeconds?: number
  timeoutSeconds?: number
  periodSeconds?: number
  successThreshold?: number
  failureThreshold?: number
}
type Resources = { limits?: Record<string, unknown>; requests?: Record<string, unknown> }

/** A container spec, the fields describe reads. */
export type Container = {
  name?: string
  image?: string
  command?: string[]
  args?: string[]
  ports?: Port[]
  env?: EnvVar[]
  envFrom?: EnvFrom[]
  resources?: Resources
  volumeMounts?: Array<{ name?: string; mountPath?: string; readOnly?: boolean; subPath?: string }>
  volumeDevices?: Array<{ name?: string; devicePath?: string }>
  livenessProbe?: Probe
  readinessProbe?: Probe
  startupProbe?: Probe
  securityContext?: { seccompProfile?: { type?: string; localhostProfile?: string } }
}

type State = {
  running?: { startedAt?: string }
  waiting?: { reason?: string; message?: string }
  terminated?: { reason?: string; message?: string; exitCode?: number; signal?: number; startedAt?: string; finishedAt?: string }
}

/** A container status, the fields describe reads. */
export type ContainerStatus = {
  name?: string
  containerID?: string
  imageID?: string
  state?: State
  lastState?: State
  ready?: boolean
  restartCount?: number
}

/** Resolves a fieldRef env var's value (the Pod describer's EnvValueRetriever); absent for templates. */
export type EnvResolver = (fieldPath: string) => string

/** describeContainers: the label line, then each container with its status when there is one. */
export function describeContainers(
  label: string,
  containers: Container[],
  statuses: ContainerStatus[] | undefined,
  resolver: EnvResolver | undefined,
  w: PrefixWriter,
  space: string,
  timeZone: 'UTC' | 'local',
): void {
  const byName = new Map<string, ContainerStatus>()
  for (const s of statuses ?? []) byName.set(s.name ?? '', s)
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`)
  for (const c of containers) {
    const status = byName.get(c.name ?? '')
    describeBasicInfo(c, status, space, w)
    describeCommand(c, w)
    if (status) describeState(status, w, timeZone)
    describeResources(c.resources, w, LEVEL_2)
    describeProbes(c, w)
    if ((c.envFrom ?? []).length > 0) describeEnvFrom(c, w)
    describeEnv(c, resolver, w)
    describeMounts(c, w)
  }
}

function describeBasicInfo(c: Container, status: ContainerStatus | undefined, space: string, w: PrefixWriter): void {
  const nameIndent = space.length > 0 ? ' ' : ''
  w.write(LEVEL_1, `${nameIndent}${c.name ?? ''}:\n`)
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`)
  w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`)
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`)
  const ports = (c.ports ?? []).map((p) => `${p.containerPort ?? 0}/${p.protocol ?? ''}`).join(', ')
  if (ports.includes(',')) w.write(LEVEL_2, `Ports:\t${ports}\n`)
  else w.write(LEVEL_2, `Port:\t${stringOrNone(ports)}\n`)
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ')
  if (hostPorts.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPorts}\n`)
  else w.write(LEVEL_2, `Host Port:\t${stringOrNone(hostPorts)}\n`)
  const seccomp = c.securityContext?.seccompProfile
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type ?? ''}\n`)
    if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`)
  }
}

function describeCommand(c: Container, w: PrefixWriter): void {
  for (const [title, items] of [['Command', c.command], ['Args', c.args]] as const) {
    if (!items || items.length === 0) continue
    w.write(LEVEL_2, `${title}:\n`)
    for (const item of items) for (const s of item.split('\n')) w.write(LEVEL_3, `${s}\n`)
  }
}

function describeStatus(name: string, state: State | undefined, w: PrefixWriter, tz: 'UTC' | 'local'): void {
  if (state?.running) {
    w.write(LEVEL_2, `${name}:\tRunning\n`)
    w.write(LEVEL_3, `Started:\t${formatRFC1123Z(state.running.startedAt, tz)}\n`)
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${name}:\tWaiting\n`)
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`)
  } else if (state?.terminated) {
    const t = state.terminated
    w.write(LEVEL_2, `${name}:\tTerminated\n`)
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`)
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`)
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`)
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`)
    w.write(LEVEL_3, `Started:\t${formatRFC1123Z(t.startedAt, tz)}\n`)
    w.write(LEVEL_3, `Finished:\t${formatRFC1123Z(t.finishedAt, tz)}\n`)
  } else {
    w.write(LEVEL_2, `${name}:\tWaiting\n`)
  }
}

function describeState(status: ContainerStatus, w: PrefixWriter, tz: 'UTC' | 'local'): void {
  describeStatus('State', status.state, w, tz)
  if (status.lastState?.terminated) describeStatus('Last State', status.lastState, w, tz)
  w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`)
  w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`)
}

/** describeResources: Limits then Requests, resource names sorted, quantities canonical. */
export function describeResources(resources: Resources | undefined, w: PrefixWriter, level: number): void {
  if (!resources) return
  for (const [title, list] of [['Limits', resources.limits], ['Requests', resources.requests]] as const) {
    const names = Object.keys(list ?? {}).sort(byteCompare)
    if (names.length > 0) w.write(level, `${title}:\n`)
    for (const n of names) w.write(level + 1, `${n}:\t${canonicalQuantity((list as Record<string, unknown>)[n])}\n`)
  }
}

/** IntOrString.String() of a probe port. */
const portString = (p: number | string | undefined): string => (p === undefined ? '0' : String(p))

/** DescribeProbe: "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3". */
export function describeProbe(p: Probe): string {
  const attrs =
    `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s ` +
    `#success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`
  if (p.httpGet) {
    const g = p.httpGet
    const port = portString(g.port)
    const host = g.host ?? ''
    // net.JoinHostPort brackets IPv6 hosts.
    const hostPort = port.length > 0 ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host
    let path = g.path ?? ''
    if (path !== '' && !path.startsWith('/') && hostPort !== '') path = '/' + path
    const scheme = (g.scheme ?? '').toLowerCase()
    const url = `${scheme ? scheme + ':' : ''}${hostPort || scheme ? '//' + hostPort : ''}${path}`
    return `http-get ${url} ${attrs}`
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${portString(p.tcpSocket.port)} ${attrs}`
  if (p.grpc) return `grpc <pod>:${p.grpc.port ?? 0} ${p.grpc.service ?? ''} ${attrs}`
  return `unknown ${attrs}`
}

function describeProbes(c: Container, w: PrefixWriter): void {
  if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`)
  if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`)
  if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`)
}

function describeEnvFrom(c: Container, w: PrefixWriter): void {
  w.write(LEVEL_2, 'Environment Variables from:\n')
  for (const e of c.envFrom ?? []) {
    let from = ''
    let name = ''
    let optional = false
    if (e.configMapRef) {
      from = 'ConfigMap'
      name = e.configMapRef.name ?? ''
      optional = e.configMapRef.optional === true
    } else if (e.secretRef) {
      from = 'Secret'
      name = e.secretRef.name ?? ''
      optional = e.secretRef.optional === true
    }
    if (!e.prefix) w.write(LEVEL_3, `${name}\t${from}\tOptional: ${optional}\n`)
    else w.write(LEVEL_3, `${name}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`)
  }
}

/** resourcehelper.ExtractContainerResourceValue: the value divided by the divisor, rounded up. */
function containerResourceValue(ref: { resource?: string; divisor?: string | number }, c: Container): string {
  const divisor = parseQuantity(ref.divisor ?? '1') ?? quantityOf('1')
  const resource = ref.resource ?? ''
  const [kind, name] = resource.split('.', 2) as [string, string | undefined]
  const list = kind === 'limits' ? c.resources?.limits : kind === 'requests' ? c.resources?.requests : undefined
  if (!list || !name) return ''
  const q = quantityOf(list[name])
  if (name === 'cpu') {
    const d = quantityMilliValue(divisor)
    return d === 0n ? '' : String(ceil(quantityMilliValue(q), d))
  }
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) {
    const d = quantityValue(divisor)
    return d === 0n ? '' : String(ceil(quantityValue(q), d))
  }
  return formatQuantity(q)
}

const ceil = (a: bigint, b: bigint): bigint => (a % b === 0n || a < 0n ? a / b : a / b + 1n)

function describeEnv(c: Container, resolver: EnvResolver | undefined, w: PrefixWriter): void {
  const env = c.env ?? []
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`)
  for (const e of env) {
    const name = e.name ?? ''
    const from = e.valueFrom
    if (!from) {
      ;(e.value ?? '').split('\n').forEach((s, i) => {
        if (i === 0) w.write(LEVEL_3, `${name}:\t${s}\n`)
        else w.write(LEVEL_3, `\t${s}\n`)
      })
      continue
    }
    if (from.fieldRef) {
      const value = resolver ? resolver(from.fieldRef.fieldPath ?? '') : ''
      w.write(LEVEL_3, `${name}:\t${value} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath ?? ''})\n`)
    } else if (from.resourceFieldRef) {
      const resource = from.resourceFieldRef.resource ?? ''
      let value = containerResourceValue(from.resourceFieldRef, c)
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable'
      w.write(LEVEL_3, `${name}:\t${value} (${resource})\n`)
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef
      w.write(LEVEL_3, `${name}:\t<set to the key '${r.key ?? ''}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`)
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef
      w.write(LEVEL_3, `${name}:\t<set to the key '${r.key ?? ''}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`)
    }
  }
}

/** Go's %q of a plain string. */
const goQuote = (s: string): string => JSON.stringify(s)

function describeMounts(c: Container, w: PrefixWriter): void {
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => byteCompare(a.mountPath ?? '', b.mountPath ?? ''))
  const none = mounts.length === 0 ? '\t<none>' : ''
  w.write(LEVEL_2, `Mounts:${none}\n`)
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw']
    if (m.subPath) flags.push(`path=${goQuote(m.subPath)}`)
    w.write(LEVEL_3, `${m.mountPath ?? ''} from ${m.name ?? ''} (${flags.join(',')})\n`)
  }
  const devices = [...(c.volumeDevices ?? [])].sort((a, b) => byteCompare(a.devicePath ?? '', b.devicePath ?? ''))
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`)
    for (const d of devices) w.write(LEVEL_3, `${d.devicePath ?? ''} from ${d.name ?? ''}\n`)
  }
}
