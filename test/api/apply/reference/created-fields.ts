/** Unchanged by the rewrite the differential test checks: the reference uses the real module. */
export * from '../../../../reconciler/api/apply/created-fields.js'
