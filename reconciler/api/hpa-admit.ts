/**
 * What an HorizontalPodAutoscaler body goes through before conversion to the stored v2: at
 * autoscaling/v1, fields v1 does not have are unknown (Strict refuses them, Warn and Ignore drop
 * them) before v2 would read them; at v2, the v1 round-trip annotations are dropped, since they are
 * the conversion's alone (hpa-v1.ts) and a v1 reader would turn stale ones into spec.
 */
import type { KindInfo } from './kinds.js'
import type { KObject } from './object.js'
import { v1UnknownFields, withoutRoundTripAnnotations } from './hpa-v1.js'
import { strictDecodingError, type FieldValidation } from './validate.js'

export function admitHpa(k: KindInfo, obj: KObject, opts: { fieldValidation?: FieldValidation; warnings?: string[] }): void {
  if (obj.apiVersion !== 'autoscaling/v1') {
    const kept = withoutRoundTripAnnotations(obj.metadata.annotations)
    if (kept && Object.keys(kept).length === 0) delete obj.metadata.annotations
    else if (kept !== obj.metadata.annotations) obj.metadata.annotations = kept
    return
  }
  const unknown = v1UnknownFields(obj)
  if (!unknown.length) return
  if (!opts.fieldValidation || opts.fieldValidation === 'Strict') {
    throw strictDecodingError({ ...k, version: 'v1' }, unknown.map((field) => ({ reason: 'UnknownField', message: `unknown field "${field}"`, field })))
  }
  for (const field of unknown) {
    if (opts.fieldValidation === 'Warn') opts.warnings?.push(`unknown field "${field}"`)
    const [section, name] = field.split('.')
    delete (obj[section] as Record<string, unknown>)[name]
  }
}
