import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { goldenCases } from './golden-cases.js'

const here = dirname(fileURLToPath(import.meta.url))
const golden = JSON.parse(readFileSync(join(here, 'golden.json'), 'utf8')) as Record<string, { stdout: string; stderr: string }>

const test = suite('print: identical to kubectl 1.32 (golden.json, recorded by make-golden.ts)')

for (const c of goldenCases) {
  test(c.name, () => {
    const g = golden[c.name]
    assert.ok(g, `no golden output for "${c.name}": run make-golden.ts`)
    // kubectl writes errors to stderr; our printers return them as the message.
    assert.fixture(c.print(), g.stdout || g.stderr)
  })
}

test.run()
