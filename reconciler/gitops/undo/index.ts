/** `rollout undo --repo`: an undo written as a git commit that restores one Deployment document. */
export { undoThroughGit, type UndoOptions, type UndoOutcome } from './undo.js'
export { findRevision, undoMessage, type CommittedRevision } from './find-revision.js'
export { restoreDocument, locateDocument, type DocumentMatch } from './restore-document.js'
export { UndoError, isUndoError, type UndoErrorCode } from './errors.js'
