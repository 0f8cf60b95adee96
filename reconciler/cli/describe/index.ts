/** kubectl-style `describe` output for the kinds capstan serves. */
export { describeObject } from './describe-object.js'
export { ageSince } from './age.js'
export { describeEvents, eventsAbout, eventInterval } from './events.js'
export { tabwrite } from './tab-writer.js'
export type { DescribeOptions, EventObject, KubeObject, LeaseSpec, RelatedLookup } from './types.js'
