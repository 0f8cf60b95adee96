/** Limits that protect capstan from hostile or mistaken input. */

/** The largest document accepted: 1.5 MiB, etcd's default request limit, so the object could be stored at all. */
export const MAX_DOCUMENT_BYTES = 1_572_864

/**
 * How far aliases may expand, counted as the `yaml` package counts them (uses times the aliases
 * inside the anchored node). A billion-laughs document passes this within its first few aliases.
 */
export const MAX_ALIAS_COUNT = 100

/** How deep `List`s may nest inside `List`s. */
export const MAX_LIST_DEPTH = 10
