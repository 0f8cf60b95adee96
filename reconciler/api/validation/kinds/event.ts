/** Event (core/v1, legacyValidateEvent): namespaces agree; events with eventTime name their reporter. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { isDNS1123Subdomain, isQualifiedName } from '../names.js'
import { invalid, obj, required, str } from './field.js'

const REPORTING_INSTANCE_LENGTH_LIMIT = 128
const ACTION_LENGTH_LIMIT = 128

/** Validates an Event sent through the core/v1 API (`involvedObject` itself is not required). */
export function validateEvent(ev: KObject): StatusCause[] {
  const errs: StatusCause[] = []
  const namespace = ev.metadata.namespace ?? ''
  const involvedNs = str(obj(ev.involvedObject)?.namespace)
  const mismatch = (): StatusCause => invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace')
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch())
    } else if (namespace !== involvedNs) errs.push(mismatch())
  } else {
    if (!involvedNs && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch())
    // The v1 API calls the reporting controller field `source`.
    const controller = str(ev.reportingComponent)
    if (!controller) errs.push(required('source'))
    for (const msg of isQualifiedName(controller)) errs.push(invalid('source', controller, msg))
    const instance = str(ev.reportingInstance)
    if (!instance) errs.push(required('reportingInstance'))
    if (instance.length > REPORTING_INSTANCE_LENGTH_LIMIT) {
      errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LENGTH_LIMIT} characters`))
    }
    const action = str(ev.action)
    if (!action) errs.push(required('action'))
    if (action.length > ACTION_LENGTH_LIMIT) errs.push(invalid('action', '', `can have at most ${ACTION_LENGTH_LIMIT} characters`))
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(invalid('namespace', namespace, msg))
  return errs
}
