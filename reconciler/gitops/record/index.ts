export { recordName, recordSeq, countsText, recordCounts, recordChanges, writeSyncRecord, listSyncRecords, COUNTS_ANNOTATION, MAX_CHANGES } from './sync-record.js'
export { deploymentBefore, deploymentRevision, type DeploymentBefore } from './deployment-revisions.js'
export type { SyncResult, SyncReason, DeploymentRevision, SyncRecordSpec, SyncRecordObject } from './types.js'
