/** What a preview says: per changed object, the action, the patch and diff, and what will happen. */
import type { Operation } from 'fast-json-patch'
import type { ObjectId } from '../identity.js'
import type { ChangeAction } from '../plan/types.js'

/** One object that merging head would change. */
export interface PreviewChange {
  id: ObjectId
  action: Exclude<ChangeAction, 'unchanged'>
  file?: string
  line?: number
  /** RFC 6902 operations from base (or live) to head. */
  patch: Operation[]
  /** Unified YAML diff (plain text; colored when printed on a terminal). */
  diff: string
  /** One line: what will happen. */
  summary: string
  /** What will go wrong (an image that will not pull). */
  warnings: string[]
}

/** A preview of head against base (or the live state). */
export interface Preview {
  base?: string
  head: string
  against: 'base' | 'live'
  changes: PreviewChange[]
  /** Notes of the plan (replicas owned by an HPA, prunes). */
  notes: string[]
  /** API warnings of the dry-run apply. */
  warnings: string[]
}
