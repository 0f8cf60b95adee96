/** Pull-request previews: what merging head would change, each object summarized, printed as text, Markdown or JSON. */
export { previewDiff, PreviewInvalid, type PreviewOptions } from './preview.js'
export { summarize, type SummaryContext, type SummaryInput } from './summarize.js'
export { deploymentSummary, strategyText, ownedReplicaSets, templateImages } from './deployment-summary.js'
export { consumersOf, consumersText, type Consumer } from './consumers.js'
export { ingressRoutes, ingressSummary } from './ingress-summary.js'
export { previewText, previewMarkdown, previewJson, previewCounts, colorDiff } from './render.js'
export { throwawayState, type Throwaway } from './throwaway.js'
export type { Preview, PreviewChange } from './types.js'
