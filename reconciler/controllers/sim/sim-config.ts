/**
 * The simulation settings: the image registry the simulated kubelet pulls from and the node's
 * timings. Stored in the API (ConfigMap `kube-system/capstan-sim`, keys `registry.json` and
 * `settings.json`) so every process and every client sees the same settings. This file is the pure
 * part: the shape, the defaults, and the conversion to and from the ConfigMap's data.
 */
import type { KObject } from '../../api/object.js'
import { isPlainObject } from '../../api/object.js'

/** Where the settings live. */
export const SIM_CONFIGMAP_NAMESPACE = 'kube-system'
export const SIM_CONFIGMAP_NAME = 'capstan-sim'
export const REGISTRY_KEY = 'registry.json'
export const SETTINGS_KEY = 'settings.json'

/** The simulated registry: repository (as written, e.g. `gcr.io/google_containers/update-demo`) → its tags. */
export interface RegistryConfig {
  repositories: Record<string, string[]>
}

/** The node's timings. */
export interface SimSettings {
  /** Seconds from a pod's start on the node until its containers run (the pull and create time); 0: at once. */
  startDelaySeconds: number
}

/** Everything the simulation reads. */
export interface SimConfig {
  registry: RegistryConfig
  settings: SimSettings
}

/** The seed's settings: update-demo has only `nautilus` and `kitten` (so `kitty` fails), a 3 s start delay. */
export function defaultSimConfig(): SimConfig {
  return {
    registry: { repositories: { 'gcr.io/google_containers/update-demo': ['nautilus', 'kitten'] } },
    settings: { startDelaySeconds: 3 },
  }
}

/** A problem reading the stored settings (the defaults are used for the part that failed). */
export interface SimConfigProblem {
  key: string
  message: string
}

/** Reads the settings from the ConfigMap's data; bad or missing keys fall back to the defaults, with a problem each. */
export function simConfigFromData(data: Record<string, string> | undefined): { config: SimConfig; problems: SimConfigProblem[] } {
  const config = defaultSimConfig()
  const problems: SimConfigProblem[] = []
  const registryText = data?.[REGISTRY_KEY]
  if (registryText !== undefined) {
    const parsed = parseJson(registryText)
    const repos = isPlainObject(parsed) ? parsed.repositories : undefined
    if (isPlainObject(repos) && Object.values(repos).every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string'))) {
      config.registry = { repositories: repos as Record<string, string[]> }
    } else {
      problems.push({ key: REGISTRY_KEY, message: 'expected {"repositories": {"<repository>": ["<tag>", …]}}' })
    }
  }
  const settingsText = data?.[SETTINGS_KEY]
  if (settingsText !== undefined) {
    const parsed = parseJson(settingsText)
    const delay = isPlainObject(parsed) ? parsed.startDelaySeconds : undefined
    if (isPlainObject(parsed) && (delay === undefined || (typeof delay === 'number' && delay >= 0 && Number.isFinite(delay)))) {
      if (typeof delay === 'number') config.settings.startDelaySeconds = delay
    } else {
      problems.push({ key: SETTINGS_KEY, message: 'expected {"startDelaySeconds": <seconds ≥ 0>}' })
    }
  }
  return { config, problems }
}

/** The ConfigMap's data for a configuration (repositories and tags sorted, for stable diffs). */
export function simConfigToData(cfg: SimConfig): Record<string, string> {
  const repositories: Record<string, string[]> = {}
  for (const repo of Object.keys(cfg.registry.repositories).sort()) {
    repositories[repo] = [...new Set(cfg.registry.repositories[repo])].sort()
  }
  return {
    [REGISTRY_KEY]: JSON.stringify({ repositories }, null, 2) + '\n',
    [SETTINGS_KEY]: JSON.stringify({ startDelaySeconds: cfg.settings.startDelaySeconds }, null, 2) + '\n',
  }
}

/** The ConfigMap that stores a configuration. */
export function simConfigMap(cfg: SimConfig): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: SIM_CONFIGMAP_NAME, namespace: SIM_CONFIGMAP_NAMESPACE },
    data: simConfigToData(cfg),
  }
}

/** Whether an object is the settings ConfigMap. */
export function isSimConfigMap(obj: KObject): boolean {
  return obj.kind === 'ConfigMap' && obj.metadata.namespace === SIM_CONFIGMAP_NAMESPACE && obj.metadata.name === SIM_CONFIGMAP_NAME
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
