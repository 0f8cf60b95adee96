/** The benches' `--profile DIR` option: a V8 CPU profile of a timed phase, for Chrome DevTools. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The DIR given with `--profile DIR` on the command line (undefined: no profiles). */
export const profileDir = ((i) => (i > 0 ? process.argv[i + 1] : undefined))(process.argv.indexOf('--profile'))

/** Runs `fn` under the V8 CPU profiler when --profile is given, writing DIR/<name>.cpuprofile. */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!profileDir) return fn()
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  try {
    return await fn()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    mkdirSync(profileDir, { recursive: true })
    writeFileSync(join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile))
    session.disconnect()
  }
}
