/** Polling for a condition in tests that run against real processes and the wall clock. */

/** Polls `check` every `everyMs` until it returns a value other than undefined (or fails after `ms`, naming the last error). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 5000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v !== undefined) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
