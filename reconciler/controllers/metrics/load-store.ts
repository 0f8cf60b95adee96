/** Reading and writing the simulated load through the API (key `load.json` of ConfigMap `kube-system/capstan-sim`). */
import type { ApiClient } from '../../api/client.js'
import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'
import { defaultSimConfig, SIM_CONFIGMAP_NAME, SIM_CONFIGMAP_NAMESPACE, simConfigMap } from '../sim/sim-config.js'
import { emptyLoadModel, LOAD_KEY, loadModelFromData, loadModelToData, type LoadModel } from './load-model.js'

/** The field manager of load writes (the same as the simulation's other settings). */
export const LOAD_FIELD_MANAGER = 'capstan-sim'

/** Parsed models per client, reused while the ConfigMap's resourceVersion is unchanged (the HPA reads it every pass). */
const parsed = new WeakMap<ApiClient, { rv: string; model: LoadModel }>()

/** The current load; the empty model when nothing was set. Never mutate the result. */
export async function readLoadModel(api: ApiClient): Promise<LoadModel> {
  let cm: KObject
  try {
    cm = await api.get('configmaps', SIM_CONFIGMAP_NAMESPACE, SIM_CONFIGMAP_NAME)
  } catch (err) {
    if (isNotFound(err)) return emptyLoadModel()
    throw err
  }
  const rv = cm.metadata.resourceVersion ?? ''
  const hit = parsed.get(api)
  if (hit && hit.rv === rv) return hit.model
  const { model } = loadModelFromData(cm.data as Record<string, string> | undefined)
  parsed.set(api, { rv, model })
  return model
}

/** Stores the load (replaces only the `load.json` key; creates the ConfigMap with the default settings if missing). */
export async function writeLoadModel(api: ApiClient, model: LoadModel): Promise<void> {
  const value = loadModelToData(model)
  for (let attempt = 0; ; attempt++) {
    try {
      const cm = await api.get('configmaps', SIM_CONFIGMAP_NAMESPACE, SIM_CONFIGMAP_NAME)
      const data = (cm.data as Record<string, string> | undefined) ?? {}
      if (data[LOAD_KEY] === value) return
      const next = clone(cm)
      next.data = { ...data, [LOAD_KEY]: value }
      await api.update(next, { fieldManager: LOAD_FIELD_MANAGER })
      return
    } catch (err) {
      if (isNotFound(err)) {
        const cm = simConfigMap(defaultSimConfig())
        cm.data = { ...(cm.data as Record<string, string>), [LOAD_KEY]: value }
        try {
          await api.create(cm, { fieldManager: LOAD_FIELD_MANAGER })
          return
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
