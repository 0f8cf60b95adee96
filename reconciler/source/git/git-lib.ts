/**
 * isomorphic-git, loaded on first use. The direct reader (direct-read.ts) serves the objects and
 * refs of a one-shot sync, so such a command never loads it (≈ 90 ms of module loading in a new
 * process); writes, fetches, logs and whatever the direct reader cannot read load it then.
 */
type Git = typeof import('isomorphic-git').default

let loading: Promise<Git> | undefined

/** The isomorphic-git API (the module loaded once). */
export function gitLib(): Promise<Git> {
  return (loading ??= import('isomorphic-git').then((m) => m.default))
}

/** Whether isomorphic-git has been asked for in this process (for tests of the paths that should not). */
export function gitLibLoaded(): boolean {
  return loading !== undefined
}
