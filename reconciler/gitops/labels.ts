/** The marks capstan leaves on what it manages: the managed-by label and the source-file annotation. */

/** The field manager of everything capstan applies from git. */
export const FIELD_MANAGER = 'capstan'

/** Takes spec.replicas from capstan before an HPA gets it, so that dropping it from capstan's apply does not reset it (see plan/hpa.ts). */
export const HPA_HANDOVER_MANAGER = 'capstan-hpa-handover'

/** The label every managed object carries: how live objects are found for pairing and prune. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'

/** The value of MANAGED_BY_LABEL. */
export const MANAGED_BY_VALUE = 'capstan'

/** The annotation naming the file (path in the repository) an object came from. */
export const SOURCE_ANNOTATION = 'capstan.dev/source'

/** The label selector of managed objects. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`

/** Whether a live object is managed by capstan. */
export function isManaged(obj: { metadata?: { labels?: Record<string, string> } }): boolean {
  return obj.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE
}

/** Adds the managed-by label and the source annotation to an apply configuration (in place). */
export function markManaged(config: { metadata?: Record<string, unknown> }, file: string): void {
  const meta = (config.metadata ??= {}) as { labels?: Record<string, string>; annotations?: Record<string, string> }
  meta.labels = { ...(meta.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }
  meta.annotations = { ...(meta.annotations ?? {}), [SOURCE_ANNOTATION]: file }
}
