/** Reading an object that may be gone without paying for a NotFound error. */
import type { ApiClient } from '../../api/client.js'
import { isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'

/** A client that can answer "no such object" with undefined (the in-process ApiServer's `find`). */
interface Finder {
  find(resource: string, namespace: string | undefined, name: string): Promise<KObject | undefined>
}

const canFind = (api: ApiClient): api is ApiClient & Finder => typeof (api as Partial<Finder>).find === 'function'

/**
 * The object, or undefined when it does not exist: `api.get` without the NotFound error, whose
 * stack trace costs more than the lookup (a reconcile of a deleted pod, an Endpoints not created
 * yet). Other errors are thrown as `get` throws them.
 */
export async function findObject(api: ApiClient, resource: string, namespace: string | undefined, name: string): Promise<KObject | undefined> {
  if (canFind(api)) return api.find(resource, namespace, name)
  try {
    return await api.get(resource, namespace, name)
  } catch (err) {
    if (isNotFound(err)) return undefined
    throw err
  }
}
