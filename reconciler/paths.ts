/** Where capstan's own files are, whether it runs from source (tsx) or from `dist/`. */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

/** The project root: the nearest folder above this module that holds `schemas/` and `package.json`. */
export function projectRoot(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'schemas')) && existsSync(join(dir, 'package.json'))) return (root = dir)
    const up = dirname(dir)
    if (up === dir) throw new Error('capstan: cannot find the project root (schemas/ and package.json)')
    dir = up
  }
}

/** The folder of capstan's JSON Schemas. */
export function schemasDir(): string {
  return join(projectRoot(), 'schemas')
}
