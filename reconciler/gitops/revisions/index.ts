/** Deployment revisions joined with the commits whose syncs produced them. */
export { rolloutHistoryWithCommits, revisionOrigins, type RevisionRow, type RevisionOrigin } from './history.js'
