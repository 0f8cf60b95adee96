/**
 * Not a test: records kubectl's output for every golden case into golden.json.
 *   node --import tsx test/cli/print/make-golden.ts
 * Needs kubectl (1.32) on PATH; the tests only read golden.json.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { goldenCases } from './golden-cases.js'

const here = dirname(fileURLToPath(import.meta.url))
const golden: Record<string, { args: string[]; stdout: string; stderr: string }> = {}
for (const c of goldenCases) {
  const out = execFileSync('node', ['--import', 'tsx', join(here, 'kubectl-golden.ts'), ...c.args], { encoding: 'utf8' })
  const [stdout, stderr] = out.split('--- stderr ---\n')
  golden[c.name] = { args: c.args, stdout, stderr }
}
writeFileSync(join(here, 'golden.json'), JSON.stringify(golden, null, 2) + '\n')
console.log(`${Object.keys(golden).length} cases recorded`)
