/** What the sync needs from the simulated (or real) cluster while it waits: settle, and step virtual time. */

/** The controllers, running over the state the sync applied to. */
export interface ClusterHandle {
  /** Runs the controllers until no work is due now. */
  settle(): Promise<void>
  /** Moves virtual time to `at`, settling at each due timer on the way. */
  advanceTo(at: Date): Promise<void>
  /** When the next piece of work is due (undefined: none is scheduled). */
  nextTimer(): Date | undefined
  now(): Date
}

/** Runs `fn` with the controllers started (the CLI's withCluster). */
export type RunCluster = <T>(fn: (c: ClusterHandle) => Promise<T>) => Promise<T>
