/** Kubernetes-style API errors: a closed set of reasons, each carried as a `Status` object. */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'InternalError'

/** A cause names one field problem (`field` is a path like `spec.template.spec.containers[0].image`). */
export interface StatusCause {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueTooLong, FieldValueForbidden, FieldManagerConflict, UnknownField, … */
  reason: string
  message: string
  field?: string
}

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, unknown>
  status: 'Failure' | 'Success'
  message: string
  reason: StatusReason | ''
  details?: StatusDetails
  code: number
}

const httpCodes: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  MethodNotAllowed: 405,
  UnsupportedMediaType: 415,
  NotAcceptable: 406,
  RequestEntityTooLarge: 413,
  InternalError: 500,
}

/** An API error. `status` is what kube-apiserver would send for it. */
export class ApiError extends Error {
  readonly reason: StatusReason
  readonly code: number
  /**
   * The Status details (named so, not `details`, because test runners read an error's `details` as
   * a printable diff string).
   */
  readonly statusDetails: StatusDetails
  constructor(reason: StatusReason, message: string, details: StatusDetails = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ApiError'
    this.reason = reason
    this.code = httpCodes[reason]
    this.statusDetails = details
  }
  get status(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      details: Object.keys(this.statusDetails).length ? this.statusDetails : undefined,
      code: this.code,
    }
  }
}

/** Resource identity used in messages: `deployments.apps "web"`. */
export interface ResourceRef {
  group: string
  plural: string
  kind?: string
  name?: string
}

function qualified(r: ResourceRef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural
}

export function notFound(r: ResourceRef, name: string): ApiError {
  return new ApiError('NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group, kind: r.plural })
}

export function alreadyExists(r: ResourceRef, name: string): ApiError {
  return new ApiError('AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group, kind: r.plural })
}

export function conflict(r: ResourceRef, name: string, why: string): ApiError {
  return new ApiError('Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, {
    name,
    group: r.group,
    kind: r.plural,
  })
}

/** 422 with one cause per field problem, worded as kube-apiserver words it. */
export function invalid(kind: string, name: string, causes: StatusCause[], group = ''): ApiError {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message))
  const msg = `${kind} "${name}" is invalid: ` + (list.length === 1 ? list[0] : `[${list.join(', ')}]`)
  return new ApiError('Invalid', msg, { name, group, kind, causes })
}

export function badRequest(message: string, causes?: StatusCause[]): ApiError {
  return new ApiError('BadRequest', message, causes ? { causes } : {})
}

export function gone(message: string): ApiError {
  return new ApiError('Expired', message)
}

export function isApiError(err: unknown, reason?: StatusReason): err is ApiError {
  return err instanceof ApiError && (reason === undefined || err.reason === reason)
}
export const isNotFound = (err: unknown): boolean => isApiError(err, 'NotFound')
export const isConflict = (err: unknown): boolean => isApiError(err, 'Conflict')
export const isAlreadyExists = (err: unknown): boolean => isApiError(err, 'AlreadyExists')
export const isInvalid = (err: unknown): boolean => isApiError(err, 'Invalid')
