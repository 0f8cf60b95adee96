/** Reading and writing the simulation settings through the API (ConfigMap `kube-system/capstan-sim`). */
import type { ApiClient } from '../../api/client.js'
import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'
import type { ImageRefError } from './image-ref.js'
import { addToRegistry, registryEntries, removeFromRegistry } from './registry.js'
import {
  defaultSimConfig,
  SIM_CONFIGMAP_NAME,
  SIM_CONFIGMAP_NAMESPACE,
  simConfigFromData,
  simConfigMap,
  simConfigToData,
  type SimConfig,
} from './sim-config.js'

/** The field manager of settings writes. */
export const SIM_FIELD_MANAGER = 'capstan-sim'

/** Parsed settings per client, reused while the ConfigMap's resourceVersion is unchanged (the kubelet reads them on every pod). */
const parsed = new WeakMap<ApiClient, { rv: string; config: SimConfig }>()

/** The current settings; the defaults when the ConfigMap does not exist. Never mutate the result. */
export async function readSimConfig(api: ApiClient): Promise<SimConfig> {
  let cm: KObject
  try {
    cm = await api.get('configmaps', SIM_CONFIGMAP_NAMESPACE, SIM_CONFIGMAP_NAME)
  } catch (err) {
    if (isNotFound(err)) return defaultSimConfig()
    throw err
  }
  const rv = cm.metadata.resourceVersion ?? ''
  const hit = parsed.get(api)
  if (hit && hit.rv === rv) return hit.config
  const { config } = simConfigFromData(cm.data as Record<string, string> | undefined)
  parsed.set(api, { rv, config })
  return config
}

/** Stores the settings (creates the ConfigMap or replaces its two keys; other keys are kept). */
export async function writeSimConfig(api: ApiClient, cfg: SimConfig): Promise<SimConfig> {
  for (let attempt = 0; ; attempt++) {
    try {
      const cm = await api.get('configmaps', SIM_CONFIGMAP_NAMESPACE, SIM_CONFIGMAP_NAME)
      const next = clone(cm)
      next.data = { ...((cm.data as Record<string, string> | undefined) ?? {}), ...simConfigToData(cfg) }
      await api.update(next, { fieldManager: SIM_FIELD_MANAGER })
      return cfg
    } catch (err) {
      if (isNotFound(err)) {
        try {
          await api.create(simConfigMap(cfg), { fieldManager: SIM_FIELD_MANAGER })
          return cfg
        } catch (createErr) {
          if (!isAlreadyExists(createErr) || attempt >= 4) throw createErr
          continue
        }
      }
      if (isConflict(err) && attempt < 4) continue
      throw err
    }
  }
}

/** Creates the ConfigMap with the defaults if it does not exist yet (a new state's seed). */
export async function ensureSimConfig(api: ApiClient): Promise<void> {
  try {
    await api.create(simConfigMap(defaultSimConfig()), { fieldManager: SIM_FIELD_MANAGER })
  } catch (err) {
    if (!isAlreadyExists(err)) throw err
  }
}

/** Adds `repository:tag` entries to the registry (`capstan sim registry add`). Nothing is written if any entry is bad. */
export async function registryAdd(api: ApiClient, ...refs: string[]): Promise<{ entries: string[]; errors: ImageRefError[] }> {
  const cfg = await readSimConfig(api)
  const { registry, errors } = addToRegistry(cfg.registry, refs)
  if (errors.length) return { entries: registryEntries(cfg.registry), errors }
  await writeSimConfig(api, { ...cfg, registry })
  return { entries: registryEntries(registry), errors }
}

/** Removes `repository[:tag]` entries (`capstan sim registry remove`). Nothing is written if any entry is bad. */
export async function registryRemove(api: ApiClient, ...refs: string[]): Promise<{ entries: string[]; errors: ImageRefError[] }> {
  const cfg = await readSimConfig(api)
  const { registry, errors } = removeFromRegistry(cfg.registry, refs)
  if (errors.length) return { entries: registryEntries(cfg.registry), errors }
  await writeSimConfig(api, { ...cfg, registry })
  return { entries: registryEntries(registry), errors }
}

/** The registry as sorted `repository:tag` lines (`capstan sim registry list`). */
export async function registryList(api: ApiClient): Promise<string[]> {
  return registryEntries((await readSimConfig(api)).registry)
}
