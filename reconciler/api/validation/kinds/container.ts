/** One container (validateContainerCommon and the per-list rules of validateContainers). */
import type { StatusCause } from '../../errors.js'
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../names.js'
import { validateEnv, validateEnvFrom } from './env.js'
import { arr, child, duplicate, forbidden, index, invalid, notFound, notSupported, num, obj, required, str, type Obj } from './field.js'
import { validateResources } from './resources.js'
import { validateLocalDescendingPath } from './volumes.js'

/** Port protocols, as Kubernetes lists them (sorted). */
export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP']

/** `ValidatePortNumOrName`: an int-or-string port is a valid number or a valid IANA service name. */
export function validatePortNumOrName(port: unknown, path: string): StatusCause[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => invalid(path, port, msg))
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg))
  return []
}

/** `validateContainerPorts`: names IANA and unique, containerPort 1–65535, hostPort valid, protocol known. */
export function validateContainerPorts(ports: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const names = new Set<string>()
  arr(ports).forEach((raw, i) => {
    const p = obj(raw) ?? {}
    const ip = index(path, i)
    const name = str(p.name)
    if (name) {
      const msgs = isValidPortName(name)
      if (msgs.length) for (const msg of msgs) errs.push(invalid(child(ip, 'name'), name, msg))
      else if (names.has(name)) errs.push(duplicate(child(ip, 'name'), name))
      else names.add(name)
    }
    const containerPort = num(p.containerPort) ?? 0
    if (containerPort === 0) errs.push(required(child(ip, 'containerPort')))
    else for (const msg of isValidPortNum(containerPort)) errs.push(invalid(child(ip, 'containerPort'), containerPort, msg))
    const hostPort = num(p.hostPort) ?? 0
    if (hostPort !== 0) for (const msg of isValidPortNum(hostPort)) errs.push(invalid(child(ip, 'hostPort'), hostPort, msg))
    const protocol = str(p.protocol)
    if (!protocol) errs.push(required(child(ip, 'protocol')))
    else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(child(ip, 'protocol'), protocol, PORT_PROTOCOLS))
  })
  return errs
}

/** `ValidateVolumeMounts`: the volume exists, mountPath given and unique, subPath descending. */
function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const mountPoints = new Set<string>()
  arr(mounts).forEach((raw, i) => {
    const m = obj(raw) ?? {}
    const ip = index(path, i)
    const name = str(m.name)
    const mountPath = str(m.mountPath)
    if (!name) errs.push(required(child(ip, 'name')))
    if (!volumes.has(name)) errs.push(notFound(child(ip, 'name'), name))
    if (!mountPath) errs.push(required(child(ip, 'mountPath')))
    if (mountPoints.has(mountPath)) errs.push(invalid(child(ip, 'mountPath'), mountPath, 'must be unique'))
    mountPoints.add(mountPath)
    const subPath = str(m.subPath)
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, child(path, 'subPath')))
  })
  return errs
}

const pullPolicies = ['Always', 'IfNotPresent', 'Never']
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError']
const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const

function validateHandler(probe: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  let count = 0
  for (const h of probeHandlers) {
    const handler = obj(probe[h])
    if (!handler) continue
    if (count > 0) {
      errs.push(forbidden(child(path, h), 'may not specify more than 1 handler type'))
      continue
    }
    count++
    const hp = child(path, h)
    if (h === 'exec' && arr(handler.command).length === 0) errs.push(required(child(hp, 'command')))
    if (h === 'httpGet') {
      if (!str(handler.path)) errs.push(required(child(hp, 'path')))
      errs.push(...validatePortNumOrName(handler.port, child(hp, 'port')))
      const scheme = str(handler.scheme)
      if (scheme && scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(child(hp, 'scheme'), scheme, ['HTTP', 'HTTPS']))
    }
    if (h === 'tcpSocket') errs.push(...validatePortNumOrName(handler.port, child(hp, 'port')))
    if (h === 'grpc') for (const msg of isValidPortNum(num(handler.port) ?? 0)) errs.push(invalid(child(hp, 'port'), num(handler.port) ?? 0, msg))
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'))
  return errs
}

function validateProbe(probe: unknown, path: string, successMustBeOne: boolean): StatusCause[] {
  const p = obj(probe)
  if (!p) return []
  const errs = validateHandler(p, path)
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = num(p[f])
    if (v !== undefined && v < 0) errs.push(invalid(child(path, f), v, 'must be greater than or equal to 0'))
  }
  const success = num(p.successThreshold)
  if (successMustBeOne && success !== undefined && success !== 1) errs.push(invalid(child(path, 'successThreshold'), success, 'must be 1'))
  return errs
}

/** The checks every container gets, init or regular. */
export function validateContainer(c: Obj, volumes: Set<string>, path: string, init: boolean): StatusCause[] {
  const errs: StatusCause[] = []
  const name = str(c.name)
  if (!name) errs.push(required(child(path, 'name')))
  else for (const msg of isDNS1123Label(name)) errs.push(invalid(child(path, 'name'), name, msg))
  if (!str(c.image)) errs.push(required(child(path, 'image')))
  const tmp = str(c.terminationMessagePolicy)
  if (!tmp) errs.push(required(child(path, 'terminationMessagePolicy')))
  else if (!terminationMessagePolicies.includes(tmp)) {
    errs.push(notSupported(child(path, 'terminationMessagePolicy'), tmp, terminationMessagePolicies))
  }
  errs.push(...validateContainerPorts(c.ports, child(path, 'ports')))
  errs.push(...validateEnv(c.env, child(path, 'env')))
  errs.push(...validateEnvFrom(c.envFrom, child(path, 'envFrom')))
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, child(path, 'volumeMounts')))
  const pull = str(c.imagePullPolicy)
  if (!pull) errs.push(required(child(path, 'imagePullPolicy')))
  else if (!pullPolicies.includes(pull)) errs.push(notSupported(child(path, 'imagePullPolicy'), pull, pullPolicies))
  errs.push(...validateResources(c.resources, child(path, 'resources')))
  if (init) {
    // Plain init containers may not have probes; restartable (sidecar) ones may (SidecarContainers, on in 1.32).
    const sidecar = str(c.restartPolicy) === 'Always'
    if (c.restartPolicy !== undefined && !sidecar) errs.push(notSupported(child(path, 'restartPolicy'), str(c.restartPolicy), ['Always']))
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[probe] === undefined) continue
      if (!sidecar) errs.push(forbidden(child(path, probe), 'may not be set for init containers without restartPolicy=Always'))
      else errs.push(...validateProbe(c[probe], child(path, probe), probe !== 'readinessProbe'))
    }
  } else {
    if (c.restartPolicy !== undefined) errs.push(forbidden(child(path, 'restartPolicy'), 'may not be set for non-init containers'))
    errs.push(...validateProbe(c.livenessProbe, child(path, 'livenessProbe'), true))
    errs.push(...validateProbe(c.readinessProbe, child(path, 'readinessProbe'), false))
    errs.push(...validateProbe(c.startupProbe, child(path, 'startupProbe'), true))
  }
  return errs
}

/** `checkHostPortConflicts`: a `hostIP/protocol/hostPort` triple is used once across the containers. */
export function validateHostPorts(containers: unknown[], path: string, seen: Set<string>): StatusCause[] {
  const errs: StatusCause[] = []
  containers.forEach((raw, ci) => {
    const c = obj(raw) ?? {}
    arr(c.ports).forEach((rp, pi) => {
      const p = obj(rp) ?? {}
      const hostPort = num(p.hostPort) ?? 0
      if (hostPort === 0) return
      const k = `${str(p.hostIP)}/${str(p.protocol)}/${hostPort}`
      if (seen.has(k)) errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), k))
      else seen.add(k)
    })
  })
  return errs
}
