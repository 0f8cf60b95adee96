/**
 * One container's life on the simulated node, from its last reported status to the next, as the
 * kubelet's startContainer does it: pull the image (Pulling → Pulled, or Failed → ErrImagePull →
 * ImagePullBackOff with back-off), build its configuration (CreateContainerConfigError when a
 * ConfigMap/Secret or key is missing), create and start it (Created, Started), then report it ready.
 * The pull of the first attempt takes the start delay; an image already on the node starts at once.
 */
import { formatTime } from '../../api/api-server.js'
import { defaultPullPolicy } from '../../api/defaults/pod-spec.js'
import type { Container, ContainerStatus } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'
import { imageExists, isImageRefError, normalizedImage, parseImageRef, repositoryName, type SimConfig } from '../sim/index.js'
import { containerConfigError, type KeyLookup } from './config-refs.js'
import { goDuration, stableHex } from './format.js'
import { CONFIG_RECHECK_MS, pullBackoffMs, PULL_ERROR_SHOWN_MS, type KubeletMemory } from './memory.js'

/** An event about the pod (reason and message as the kubelet records them). */
export interface PodEvent {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
}

/** Everything one step needs. */
export interface StepInput {
  pod: KObject
  container: Container
  prev: ContainerStatus | undefined
  now: number
  node: string
  startDelayMs: number
  sim: SimConfig
  mem: KubeletMemory
  lookup: KeyLookup
  /** A ConfigMap/Secret the pod refers to changed since the last check. */
  configChanged: boolean
  /** When the pod became ready to start containers (a pull in progress before a restart began then). */
  sandboxReadyAt: number
}

/** The container's new status, the events on the way, and when it next needs a look. */
export interface StepOutput {
  status: ContainerStatus
  events: PodEvent[]
  dueAt?: number
}

/** The containerd error for a tag the registry does not have (kubectl shows it as the waiting message). */
export function pullNotFoundError(image: string): string {
  const ref = parseImageRef(image)
  const full = isImageRefError(ref) ? image : normalizedImage(ref)
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`
}

/** Per-image values derived by hashing (the same for every pod of a Deployment), by key. */
const imageHashes = new Map<string, string>()

/** stableHex of an image-derived key, memoised (bounded: cleared when full). */
function imageHash(kind: 'size' | 'image', image: string): string {
  const key = `${kind}\u0000${image}`
  let h = imageHashes.get(key)
  if (h === undefined) {
    if (imageHashes.size >= 1024) imageHashes.clear()
    h = stableHex(kind, image)
    imageHashes.set(key, h)
  }
  return h
}

/** A stable image size in bytes for the Pulled message (5–80 MB). */
function imageSize(image: string): number {
  return 5_000_000 + (parseInt(imageHash('size', image).slice(0, 8), 16) % 75_000_000)
}

function waiting(c: Container, reason: string, message?: string): ContainerStatus {
  return {
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: false,
    restartCount: 0,
    started: false,
    state: { waiting: message ? { reason, message } : { reason } },
  }
}

/** Advances one container as far as it can go at `now`. */
export async function stepContainer(input: StepInput): Promise<StepOutput> {
  const { pod, container: c, now, mem, node } = input
  const uid = pod.metadata.uid!
  const image = c.image ?? ''
  const ckey = `${uid}/${c.name}`
  const bkey = `${uid}/${image}`
  const events: PodEvent[] = []
  let status: ContainerStatus = input.prev ?? waiting(c, 'ContainerCreating')
  const ev = (type: PodEvent['type'], reason: string, message: string): void => {
    events.push({ type, reason, message })
  }
  let configChanged = input.configChanged

  /** Starts a pull (or finds the image present); on failure the status says why. Returns whether a pull is now in progress. */
  const beginPull = (): boolean => {
    const ref = parseImageRef(image)
    if (isImageRefError(ref)) {
      const msg = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${ref.message}`
      ev('Warning', 'InspectFailed', msg)
      ev('Warning', 'Failed', 'Error: InvalidImageName')
      status = waiting(c, 'InvalidImageName', msg)
      return false
    }
    const full = normalizedImage(ref)
    const policy = c.imagePullPolicy ?? defaultPullPolicy(image)
    const exists = imageExists(input.sim, image)
    const present = mem.hasImage(node, full) || (policy === 'Never' && exists)
    if (present && policy !== 'Always') {
      mem.pulls.set(ckey, { startedAt: now, pulled: false })
      return true
    }
    if (policy === 'Never') {
      const msg = `Container image "${image}" is not present with pull policy of Never`
      ev('Warning', 'ErrImageNeverPull', msg)
      ev('Warning', 'Failed', 'Error: ErrImageNeverPull')
      status = waiting(c, 'ErrImageNeverPull', msg)
      return false
    }
    ev('Normal', 'Pulling', `Pulling image "${image}"`)
    if (exists) {
      mem.pulls.set(ckey, { startedAt: now, pulled: true })
      return true
    }
    const err = pullNotFoundError(image)
    ev('Warning', 'Failed', `Failed to pull image "${image}": ${err}`)
    ev('Warning', 'Failed', 'Error: ErrImagePull')
    const failures = (mem.backoff.get(bkey)?.failures ?? 0) + 1
    mem.backoff.set(bkey, { failures, lastFailureAt: now, retryAt: now + pullBackoffMs(failures), error: err })
    status = waiting(c, 'ErrImagePull', err)
    return false
  }

  /** Builds the configuration and starts the container, or reports the configuration error. */
  const createAndStart = async (): Promise<number | undefined> => {
    const err = await containerConfigError(pod, c, input.lookup)
    configChanged = false
    if (err) {
      mem.nextCheck.set(ckey, now + CONFIG_RECHECK_MS)
      ev('Warning', 'Failed', `Error: ${err}`)
      status = waiting(c, 'CreateContainerConfigError', err)
      return now + CONFIG_RECHECK_MS
    }
    mem.nextCheck.delete(ckey)
    ev('Normal', 'Created', `Created container: ${c.name}`)
    ev('Normal', 'Started', `Started container ${c.name}`)
    const ref = parseImageRef(image)
    const full = isImageRefError(ref) ? image : normalizedImage(ref)
    const repo = isImageRefError(ref) ? image : repositoryName(ref)
    status = {
      name: c.name,
      image: full,
      imageID: `${repo}@sha256:${imageHash('image', full)}`,
      containerID: `containerd://${stableHex('container', uid, c.name)}`,
      ready: false,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: formatTime(new Date(now)) } },
    }
    return readiness()
  }

  /** Sets `ready` on a running container; returns when it becomes ready, if later. */
  const readiness = (): number | undefined => {
    const startedAt = Date.parse(status.state?.running?.startedAt ?? '')
    const delay = ((c.readinessProbe as { initialDelaySeconds?: number } | undefined)?.initialDelaySeconds ?? 0) * 1000
    const readyAt = (Number.isFinite(startedAt) ? startedAt : now) + delay
    status = { ...status, ready: now >= readyAt }
    return now >= readyAt ? undefined : readyAt
  }

  for (let i = 0; i < 8; i++) {
    if (status.state?.running) {
      const readyAt = readiness()
      return { status, events, dueAt: readyAt }
    }
    if (status.state?.terminated) return { status, events }
    const reason = status.state?.waiting?.reason ?? 'ContainerCreating'

    // A pull in progress finishes after the start delay (an image already present: at once).
    let pull = mem.pulls.get(ckey)
    if (!pull && reason === 'ContainerCreating' && input.prev) {
      // Restarted mid-pull: the pull began when the pod became ready to start containers.
      pull = { startedAt: input.sandboxReadyAt, pulled: true }
      mem.pulls.set(ckey, pull)
    }
    if (pull) {
      const doneAt = pull.pulled ? pull.startedAt + input.startDelayMs : pull.startedAt
      if (now < doneAt) return { status, events, dueAt: doneAt }
      mem.pulls.delete(ckey)
      mem.backoff.delete(bkey)
      const ref = parseImageRef(image)
      if (!isImageRefError(ref)) mem.addImage(node, normalizedImage(ref))
      if (pull.pulled) {
        const took = goDuration(now - pull.startedAt)
        ev('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${imageSize(image)} bytes.`)
      } else {
        ev('Normal', 'Pulled', `Container image "${image}" already present on machine`)
      }
      const due = await createAndStart()
      if (status.state?.waiting) return { status, events, dueAt: due }
      continue
    }

    switch (reason) {
      case 'ContainerCreating':
        beginPull()
        continue
      case 'ErrImagePull': {
        const b = mem.backoff.get(bkey) ?? remember(mem, bkey, now, image)
        const showUntil = b.lastFailureAt + PULL_ERROR_SHOWN_MS
        if (now < showUntil) return { status, events, dueAt: Math.min(showUntil, b.retryAt) }
        ev('Normal', 'BackOff', `Back-off pulling image "${image}"`)
        ev('Warning', 'Failed', 'Error: ImagePullBackOff')
        status = waiting(c, 'ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${b.error}`)
        continue
      }
      case 'ImagePullBackOff': {
        const b = mem.backoff.get(bkey) ?? remember(mem, bkey, now, image)
        if (now < b.retryAt) return { status, events, dueAt: b.retryAt }
        const pulling = beginPull()
        if (!pulling && status.state?.waiting?.reason === 'ErrImagePull') {
          const nb = mem.backoff.get(bkey)!
          return { status, events, dueAt: Math.min(nb.lastFailureAt + PULL_ERROR_SHOWN_MS, nb.retryAt) }
        }
        continue
      }
      case 'CreateContainerConfigError': {
        const at = mem.nextCheck.get(ckey) ?? now
        if (!configChanged && now < at) return { status, events, dueAt: at }
        configChanged = false
        // The retry ensures the image again (present: "already present") and rebuilds the configuration.
        beginPull()
        continue
      }
      default:
        // InvalidImageName, ErrImageNeverPull: nothing changes until the pod's spec does.
        return { status, events }
    }
  }
  return { status, events }
}

/** A back-off entry for a pod whose failure predates this process: as if the pull failed now. */
function remember(mem: KubeletMemory, key: string, now: number, image: string): { failures: number; lastFailureAt: number; retryAt: number; error: string } {
  const b = { failures: 1, lastFailureAt: now, retryAt: now + pullBackoffMs(1), error: pullNotFoundError(image) }
  mem.backoff.set(key, b)
  return b
}
