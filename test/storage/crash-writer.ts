/**
 * Child process of sqlite-crash.test.ts: writes multi-key transactions to a sqlite state file in a
 * loop and prints "REVISION N" for each acknowledged one, until it is killed.
 * Txn N puts `/crash/last` = N and keys `/crash/{N%5}/{j}` for j < count(N), and deletes
 * `/crash/{(N+2)%5}/{j}` for j < 10.
 */
import { pathToFileURL } from 'node:url'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import type { TxnOp } from '../../reconciler/storage/types.js'

/** How many keys txn n puts under its group (every tenth txn is large, to be killed mid-commit). */
export function crashTxnSize(n: number): number {
  return n % 10 === 9 ? 1500 : 1 + ((n * 37) % 60)
}

async function main(path: string): Promise<void> {
  const storage = openSqliteStorage(path)
  const last = await storage.get('/crash/last')
  for (let n = last === undefined ? 0 : Number(last.value) + 1; ; n++) {
    const count = crashTxnSize(n)
    const value = JSON.stringify({ n, count, pad: 'p'.repeat(200 + (n % 7) * 300) })
    const ops: TxnOp[] = [{ type: 'put', key: '/crash/last', value: String(n) }]
    for (let j = 0; j < count; j++) ops.push({ type: 'put', key: `/crash/${n % 5}/${j}`, value })
    for (let j = 0; j < 10; j++) ops.push({ type: 'delete', key: `/crash/${(n + 2) % 5}/${j}` })
    const res = await storage.txn({ success: ops })
    process.stdout.write(`${res.revision} ${n}\n`)
  }
}

// Runs only as the entry script: the test imports crashTxnSize from here.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv[2])
