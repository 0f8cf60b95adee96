/** Whether two spellings name the same repository: `./repo`, `repo/`, `/abs/repo`, `repo.git`. */
import { resolve as resolvePath } from 'node:path'

export function sameRepo(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '')
  return norm(a) === norm(b) || resolvePath(norm(a)) === resolvePath(norm(b))
}
