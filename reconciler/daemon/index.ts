/** The push-to-deploy daemon behind `capstan serve --repo`, and `capstan init-remote`. */
export { startDaemon, type DaemonOptions, type DaemonHandle } from './daemon.js'
export { initRemote, InitRemoteError } from './init-remote.js'
export { parseDuration } from './duration.js'
export { SyncLane, type Trigger, type Queued } from './sync-lane.js'
export { verifyWebhook, webhookEvent, type WebhookCheck, type WebhookEvent } from './webhook.js'
export type { DaemonStatus, LastSyncStatus } from './routes.js'
