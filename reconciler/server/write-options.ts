/** The query parameters of writes: dryRun, fieldManager, fieldValidation, force, and delete options. */
import type { IncomingMessage } from 'node:http'
import type { DeleteOptions, FieldValidation, WriteOptions } from '../api/api-server.js'
import { badRequest } from '../api/errors.js'
import { isPlainObject } from '../api/object.js'

/** `dryRun=All` (the only value kube-apiserver accepts); several values may be given. */
export function dryRunOf(values: string[]): boolean {
  for (const v of values) if (v !== 'All') throw badRequest(`Invalid dry run value: "${v}" (supported values: "All")`)
  return values.length > 0
}

/** The field manager: the parameter, else the user agent up to its first `/` (as kube-apiserver defaults it). */
export function fieldManagerOf(query: URLSearchParams, req: IncomingMessage): string | undefined {
  const m = query.get('fieldManager')
  if (m !== null) {
    if (m.length > 128) throw badRequest(`fieldManager: Invalid value: "${m}": must be no more than 128 characters`)
    return m
  }
  const ua = req.headers['user-agent']
  return ua ? ua.split('/')[0].slice(0, 128) : undefined
}

/** The fieldValidation directive; kube-apiserver's default is Warn. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation')
  if (v === null || v === '') return 'Warn'
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v
  throw badRequest(`fieldValidation: Invalid value: "${v}": must be one of Ignore, Warn, Strict`)
}

/** The options every write shares; warnings are collected into `warnings`. */
export function writeOptionsOf(query: URLSearchParams, req: IncomingMessage, warnings: string[]): WriteOptions {
  return {
    dryRun: dryRunOf(query.getAll('dryRun')),
    fieldManager: fieldManagerOf(query, req),
    fieldValidation: fieldValidationOf(query),
    warnings,
  }
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name)
  if (v === null || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n)) throw badRequest(`${name}: Invalid value: "${v}": must be an integer`)
  return n
}

/** DeleteOptions from the body (a DeleteOptions object) and the query, the query winning. */
export function deleteOptionsOf(body: unknown, query: URLSearchParams): DeleteOptions {
  const b = isPlainObject(body) ? body : {}
  const out: DeleteOptions = {}
  const dry = [...(Array.isArray(b.dryRun) ? (b.dryRun as string[]) : []), ...query.getAll('dryRun')]
  out.dryRun = dryRunOf(dry)
  const grace = intParam(query, 'gracePeriodSeconds') ?? (typeof b.gracePeriodSeconds === 'number' ? b.gracePeriodSeconds : undefined)
  if (grace !== undefined) out.gracePeriodSeconds = grace
  const orphan = query.get('orphanDependents') ?? (typeof b.orphanDependents === 'boolean' ? String(b.orphanDependents) : null)
  const policy = query.get('propagationPolicy') ?? (typeof b.propagationPolicy === 'string' ? b.propagationPolicy : undefined)
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`)
    }
    if (orphan !== null) throw badRequest('orphanDependents: Invalid value: "": Cannot both set OrphanDependents and PropagationPolicy')
    out.propagationPolicy = policy
  } else if (orphan !== null) {
    out.propagationPolicy = orphan === 'true' ? 'Orphan' : 'Background'
  }
  if (isPlainObject(b.preconditions)) {
    const p = b.preconditions
    out.preconditions = {
      uid: typeof p.uid === 'string' ? p.uid : undefined,
      resourceVersion: typeof p.resourceVersion === 'string' ? p.resourceVersion : undefined,
    }
  }
  return out
}

/** `limit` of a list (0 or absent: everything). */
export function limitOf(query: URLSearchParams): number | undefined {
  const n = intParam(query, 'limit')
  return n && n > 0 ? n : undefined
}

export { intParam }
