/** SyncRecord (capstan.dev): a full commit id, a known result, and well-formed deployment revisions. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { arr, child, index, invalid, nonNegative, notSupported, num, obj, required, str } from './field.js'

/** Sync outcomes. */
export const SYNC_RESULTS = ['DryRun', 'Failed', 'Succeeded']
const TRIGGERS = ['drift', 'manual', 'poll', 'undo', 'webhook']
const sha1Re = /^[0-9a-f]{40}$/

function validateSha(v: unknown, path: string, mustExist: boolean): StatusCause[] {
  if (v === undefined || v === null || v === '') return mustExist ? [required(path)] : []
  const s = str(v)
  return sha1Re.test(s) ? [] : [invalid(path, s, 'must be a full commit id (40 lowercase hexadecimal digits)')]
}

/** Validates a SyncRecord. */
export function validateSyncRecord(rec: KObject): StatusCause[] {
  const spec = obj(rec.spec) ?? {}
  const errs = validateSha(spec.commit, 'spec.commit', true)
  errs.push(...validateSha(spec.revertOf, 'spec.revertOf', false))
  const result = str(spec.result)
  if (!result) errs.push(required('spec.result'))
  else if (!SYNC_RESULTS.includes(result)) errs.push(notSupported('spec.result', result, SYNC_RESULTS))
  if (typeof spec.trigger === 'string' && !TRIGGERS.includes(spec.trigger)) errs.push(notSupported('spec.trigger', spec.trigger, TRIGGERS))
  arr(spec.deployments).forEach((raw, i) => {
    const d = obj(raw) ?? {}
    const p = index('spec.deployments', i)
    if (!str(d.name)) errs.push(required(child(p, 'name')))
    errs.push(...nonNegative(num(d.revision), child(p, 'revision')))
    errs.push(...nonNegative(num(d.previousRevision), child(p, 'previousRevision')))
  })
  return errs
}
