/**
 * The status rules of a status write (the `/status` subresource), as kube-apiserver's status
 * strategies run them after the metadata update checks (Kubernetes 1.32):
 * - Deployment: ValidateDeploymentStatusUpdate (pkg/apis/apps/validation): counts not negative,
 *   none above `status.replicas`, available not above ready, collisionCount never decremented;
 * - ReplicaSet: ValidateReplicaSetStatusUpdate: the same shape of rules over its own counts;
 * - HorizontalPodAutoscaler: ValidateHorizontalPodAutoscalerStatusUpdate: current and desired
 *   replicas not negative;
 * - Pod: ValidatePodStatusUpdate's rules on status: a nominated node must be a valid node name,
 *   and a container that terminated may not go back to a non-terminated state unless the pod's
 *   restart policy lets it (ValidateContainerStateTransition, ValidateInitContainerStateTransition;
 *   ephemeral containers never restart).
 * A status write cannot change the spec (the status strategy keeps the stored one), so no spec rule
 * runs here.
 */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { isDNS1123Subdomain } from '../names.js'
import { arr, child, forbidden, index, invalid, nonNegative, num, obj, str, type Obj } from './field.js'

type StatusValidator = (status: Obj, oldStatus: Obj, obj: KObject, old: KObject) => StatusCause[]

const GREATER_THAN_REPLICAS = 'cannot be greater than status.replicas'
const GREATER_THAN_READY = 'cannot be greater than readyReplicas'

/** A count as Go reads it: absent is 0. */
const count = (v: unknown): number => num(v) ?? 0

/** `ValidateDeploymentStatus` and the collisionCount rule of ValidateDeploymentStatusUpdate. */
function deploymentStatus(s: Obj, oldS: Obj): StatusCause[] {
  const errs: StatusCause[] = []
  for (const f of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
    errs.push(...nonNegative(num(s[f]), child('status', f)))
  }
  errs.push(...nonNegative(num(s.collisionCount), 'status.collisionCount'))
  const replicas = count(s.replicas)
  if (count(s.updatedReplicas) > replicas) errs.push(invalid('status.updatedReplicas', count(s.updatedReplicas), GREATER_THAN_REPLICAS))
  if (count(s.readyReplicas) > replicas) errs.push(invalid('status.readyReplicas', count(s.readyReplicas), GREATER_THAN_REPLICAS))
  if (count(s.availableReplicas) > replicas) errs.push(invalid('status.availableReplicas', count(s.availableReplicas), GREATER_THAN_REPLICAS))
  if (count(s.availableReplicas) > count(s.readyReplicas)) errs.push(invalid('status.availableReplicas', count(s.availableReplicas), GREATER_THAN_READY))
  errs.push(...notDecremented(num(s.collisionCount), num(oldS.collisionCount), 'status.collisionCount'))
  return errs
}

/** `IsDecremented`: a counter that was set may not go down, nor be unset. */
function notDecremented(now: number | undefined, before: number | undefined, field: string): StatusCause[] {
  if (before === undefined) return []
  if (now !== undefined && now >= before) return []
  return [invalid(field, now ?? 0, 'cannot be decremented')]
}

/** `ValidateReplicaSetStatus`. */
function replicaSetStatus(s: Obj): StatusCause[] {
  const errs: StatusCause[] = []
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
    errs.push(...nonNegative(num(s[f]), child('status', f)))
  }
  const replicas = count(s.replicas)
  if (count(s.fullyLabeledReplicas) > replicas) errs.push(invalid('status.fullyLabeledReplicas', count(s.fullyLabeledReplicas), GREATER_THAN_REPLICAS))
  if (count(s.readyReplicas) > replicas) errs.push(invalid('status.readyReplicas', count(s.readyReplicas), GREATER_THAN_REPLICAS))
  if (count(s.availableReplicas) > replicas) errs.push(invalid('status.availableReplicas', count(s.availableReplicas), GREATER_THAN_REPLICAS))
  if (count(s.availableReplicas) > count(s.readyReplicas)) errs.push(invalid('status.availableReplicas', count(s.availableReplicas), GREATER_THAN_READY))
  return errs
}

/** The HPA's status rules (both API versions share them). */
function hpaStatus(s: Obj): StatusCause[] {
  return [...nonNegative(num(s.currentReplicas), 'status.currentReplicas'), ...nonNegative(num(s.desiredReplicas), 'status.desiredReplicas')]
}

/** The stored pod's containers by name with `restartPolicy: Always` (sidecars, which may restart). */
function restartableInitContainers(spec: Obj): Set<string> {
  const out = new Set<string>()
  for (const c of arr(spec.initContainers)) {
    const o = obj(c)
    if (o && o.restartPolicy === 'Always') out.add(str(o.name))
  }
  return out
}

/**
 * ValidateContainerStateTransition (and its init-container form, which also lets a restartable
 * init container restart): under a restart policy other than Always, a container whose stored
 * state is terminated (with exit code 0, or any code under Never) may not be reported as waiting
 * or running again.
 */
function stateTransitions(statuses: unknown, oldStatuses: unknown, path: string, restartPolicy: string, mayRestart: Set<string> = new Set()): StatusCause[] {
  const errs: StatusCause[] = []
  if (restartPolicy === 'Always') return errs
  const next = arr(statuses).map(obj)
  arr(oldStatuses).forEach((o, i) => {
    const old = obj(o)
    const terminated = obj(obj(old?.state)?.terminated)
    if (!old || !terminated) return
    if (count(terminated.exitCode) !== 0 && restartPolicy === 'OnFailure') return
    const name = str(old.name)
    if (mayRestart.has(name)) return
    for (const n of next) {
      if (n && str(n.name) === name && !obj(obj(n.state)?.terminated)) {
        errs.push(forbidden(child(index(path, i), 'state'), 'may not be transitioned to non-terminated state'))
      }
    }
  })
  return errs
}

/** ValidatePodStatusUpdate's status rules. */
function podStatus(s: Obj, oldS: Obj, _pod: KObject, old: KObject): StatusCause[] {
  const errs: StatusCause[] = []
  const nominated = str(s.nominatedNodeName)
  if (nominated && nominated !== str(oldS.nominatedNodeName)) {
    for (const msg of isDNS1123Subdomain(nominated)) errs.push(invalid('status.nominatedNodeName', nominated, msg))
  }
  const spec = obj(old.spec) ?? {}
  const policy = str(spec.restartPolicy)
  errs.push(...stateTransitions(s.containerStatuses, oldS.containerStatuses, 'status.containerStatuses', policy))
  errs.push(...stateTransitions(s.initContainerStatuses, oldS.initContainerStatuses, 'status.initContainerStatuses', policy, restartableInitContainers(spec)))
  errs.push(...stateTransitions(s.ephemeralContainerStatuses, oldS.ephemeralContainerStatuses, 'status.ephemeralContainerStatuses', 'Never'))
  return errs
}

const byKind: Record<string, StatusValidator> = {
  Deployment: (s, oldS) => deploymentStatus(s, oldS),
  ReplicaSet: (s) => replicaSetStatus(s),
  HorizontalPodAutoscaler: (s) => hpaStatus(s),
  Pod: podStatus,
}

/** The kind's status rules for a status write of `next` over the stored `old`. */
export function validateStatusUpdate(next: KObject, old: KObject): StatusCause[] {
  const validate = byKind[next.kind]
  return validate ? validate(obj(next.status) ?? {}, obj(old.status) ?? {}, next, old) : []
}
