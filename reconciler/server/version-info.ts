/** `/version`: the Kubernetes version capstan serves, with capstan's own in the git version. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../paths.js'

let info: Record<string, string> | undefined

/** The version.Info document (read package.json once). */
export function versionInfo(): Record<string, string> {
  if (info) return info
  let capstan = '0.0.0'
  try {
    capstan = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    // A build without package.json still answers.
  }
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  return (info = {
    major: '1',
    minor: '32',
    gitVersion: `v1.32.0-capstan.${capstan}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: `${process.platform}/${arch}`,
  })
}
