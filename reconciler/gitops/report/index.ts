/** Sync outcomes and GitOps status as plain data, for the CLI and the daemon's endpoints. */
export { outcomeView, type ChangeView, type SyncOutcomeView } from './outcome-view.js'
export { statusReport, type StatusReport, type StatusRow } from './status-report.js'
