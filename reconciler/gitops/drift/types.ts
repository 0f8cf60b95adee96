/** Drift findings: a closed set of classes, each with what differs and who changed it. */
import type { ObjectId } from '../identity.js'

/** How live differs from git. */
export type DriftClass =
  /** A field git sets has another value live (field, git value, live value, the manager that wrote it). */
  | 'Modified'
  /** In git, deleted from live. */
  | 'Missing'
  /** Managed by capstan live, not in git. */
  | 'Extra'
  /** spec.replicas owned by an HPA: reported, not drift. */
  | 'Tolerated'

/** One finding. */
export interface DriftFinding {
  class: DriftClass
  id: ObjectId
  /** Dotted field path (Modified, Tolerated). */
  field?: string
  git?: unknown
  live?: unknown
  /** The field manager that owns the live value (from managedFields). */
  manager?: string
  message: string
}

/** A drift scan, as kept in the state. */
export interface DriftReport {
  /** When the scan ran (virtual time). */
  time: string
  commit: string
  repo: string
  findings: DriftFinding[]
  /** Drift findings (all but Tolerated). */
  drifted: number
  /** The SyncRecord of the heal, when healed. */
  healedBy?: string
}
