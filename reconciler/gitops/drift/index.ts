/** Drift detection: live against git, each difference classed (Modified, Missing, Extra, Tolerated); heal; kept reports. */
export { scanDrift, healDrift, healable, driftReason, DriftInvalid, type ScanOptions, type DriftScan } from './scan.js'
export { incrementalDriftPlan } from './incremental.js'
export { renderFromCache } from './render-cached.js'
export { classifyDrift, modifiedFindings, fieldPath, pointerSegments } from './classify.js'
export { fieldManager } from './managers.js'
export { saveDriftReport, updateDriftReport, listDriftReports, driftKey, DRIFT_PREFIX } from './store.js'
export type { DriftClass, DriftFinding, DriftReport } from './types.js'
