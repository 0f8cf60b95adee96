/**
 * What changed in the state since the last sync wrote it: the keys of API objects written since,
 * read from the store's history. Empty when nothing was written; undefined when that history was
 * compacted away (then every object is planned).
 */
import type { KindInfo } from '../../api/kinds.js'
import { kindPrefix } from '../../api/keys.js'
import type { KObject } from '../../api/object.js'
import { isStorageError, type Storage, type WatchEvent } from '../../storage/types.js'
import { idKey, idOf } from '../identity.js'
import { PLANNED_KINDS } from '../managed.js'

/** One object written since: its identity key, and its value before or after (whichever exists). */
export interface LiveChange {
  key: string
  kind: KindInfo
  object?: KObject
}

/** Only kinds planned from git: the churn of the others is ignored. */
const prefixes = PLANNED_KINDS.map((k) => ({ k, prefix: kindPrefix(k) }))

/** The identity of the object stored at `storageKey`, if it is of a kind git can hold. */
function identityAt(storageKey: string, value: string | undefined): LiveChange | undefined {
  const hit = prefixes.find((p) => storageKey.startsWith(p.prefix))
  if (!hit) return undefined
  const rest = storageKey.slice(hit.prefix.length).split('/')
  const [namespace, name] = hit.k.namespaced ? [rest[0], rest[1]] : ['', rest[0]]
  const object = value ? (JSON.parse(value) as KObject) : undefined
  return { key: idKey(idOf(hit.k, { metadata: { namespace, name } })), kind: hit.k, ...(object ? { object } : {}) }
}

/** API objects (of kinds git can hold) written after revision `since`, by identity key; undefined when that history is gone. */
export async function liveChangesSince(storage: Storage, since: number): Promise<Map<string, LiveChange> | undefined> {
  const target = await storage.revision()
  const out = new Map<string, LiveChange>()
  if (target <= since) return out
  return new Promise((resolve) => {
    const take = (ev: WatchEvent): void => {
      const key = ev.type === 'put' ? ev.kv.key : ev.key
      if (!key.startsWith('/registry/')) return
      const value = ev.type === 'put' ? ev.kv.value : ev.prevKv?.value
      const c = identityAt(key, value)
      if (c) out.set(c.key, c)
    }
    const w = storage.watch(
      '/',
      {
        onEvents(events) {
          for (const ev of events) take(ev)
          const last = events[events.length - 1]
          const rev = last ? (last.type === 'put' ? last.kv.modRevision : last.revision) : 0
          if (rev >= target) {
            w.cancel()
            resolve(out)
          }
        },
        onError(err) {
          w.cancel()
          resolve(isStorageError(err, 'Compacted') ? undefined : undefined)
        },
      },
      { fromRevision: since + 1 },
    )
  })
}
