/**
 * The API as its clients see it. Two implementations: in-process (`ApiServer` over an embedded
 * state) and, later, HTTP to a running `capstan serve`; one conformance suite runs on both.
 */
import type {
  ApiWatch,
  ApplyOptions,
  DeleteOptions,
  ListOptions,
  ObjectList,
  PatchOptions,
  PatchType,
  Scale,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './api-server.js'
import type { KObject } from './object.js'

export interface ApiClient {
  get(resource: string, namespace: string | undefined, name: string): Promise<KObject>
  list(resource: string, opts?: ListOptions): Promise<ObjectList>
  create(obj: KObject, opts?: WriteOptions): Promise<KObject>
  update(obj: KObject, opts?: WriteOptions): Promise<KObject>
  updateStatus(obj: KObject, opts?: WriteOptions): Promise<KObject>
  patch(resource: string, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<KObject>
  apply(config: KObject, opts?: ApplyOptions): Promise<KObject>
  delete(resource: string, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KObject>
  watch(resource: string, opts: WatchOptions, onEvent: (ev: WatchEvent) => void): Promise<ApiWatch>
  getScale(resource: string, namespace: string | undefined, name: string): Promise<Scale>
  /** `opts.resourceVersion`: a precondition (409 Conflict when the object has moved on). */
  updateScale(resource: string, namespace: string | undefined, name: string, replicas: number, opts?: WriteOptions & { resourceVersion?: string }): Promise<Scale>
  /** Releases the client (and, in process, the state it opened). */
  close(): Promise<void>
}

export type {
  ApiWatch,
  ApplyOptions,
  DeleteOptions,
  ListOptions,
  ObjectList,
  PatchOptions,
  PatchType,
  Scale,
  WatchEvent,
  WatchOptions,
  WriteOptions,
}
