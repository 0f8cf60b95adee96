/** Which revision an undo goes back to, and the commit, subject and file that produced it. */
import type { RevisionRow } from '../revisions/history.js'
import { UndoError } from './errors.js'

/** A revision a sync produced: the row, with its commit known. */
export type CommittedRevision = RevisionRow & { commit: string }

/**
 * The row of revision `toRevision`, or (0) of the revision before the current one, as kubectl's
 * undo picks it. RevisionNotFound when there is none; NoCommit when no sync produced it.
 */
export function findRevision(rows: readonly RevisionRow[], current: number | undefined, toRevision = 0): CommittedRevision {
  let row: RevisionRow | undefined
  if (toRevision > 0) {
    row = rows.find((r) => r.revision === toRevision)
    if (!row) throw new UndoError('RevisionNotFound', `unable to find specified revision ${toRevision} in history`, { revision: toRevision })
  } else {
    const top = current ?? Math.max(0, ...rows.map((r) => r.revision))
    row = rows.filter((r) => r.revision < top).sort((a, b) => b.revision - a.revision)[0]
    if (!row) throw new UndoError('RevisionNotFound', `no rollout history before revision ${top}: nothing to roll back to`, { revision: top })
  }
  if (!row.commit) throw new UndoError('NoCommit', `revision ${row.revision} was not produced by a sync: no commit to restore it from (use kubectl's undo without --repo)`, { revision: row.revision })
  return row as CommittedRevision
}

/** `Roll back deployment/update-demo to revision 2 (abc1234: Use kitten)`. */
export function undoMessage(name: string, row: CommittedRevision): string {
  const subject = row.subject ? `: ${row.subject}` : ''
  return `Roll back deployment/${name} to revision ${row.revision} (${row.commit.slice(0, 7)}${subject})`
}
