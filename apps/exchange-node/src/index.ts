/**
 * The node's public entry: what code outside the app (the tools) may use. Everything else under
 * `src/` is the app's own and may change shape at any time; the dependency rules let `tools/` import
 * this file and nothing else of the app.
 *
 * Today that is the evidence collector (for the export tool) and the traveler-assessment extension point — the contract an administration implements to
 * bind its own assessor, and the default watchlist matcher — which the assessor timing run measures.
 */
export type {
  AssessmentContext,
  AssessmentOutcome,
  RecommendedAction,
  TravelerAssessmentResult,
  TravelerAssessor,
  TravelerFacts,
} from './passenger-risk/assessment/traveler-assessor';
export {
  fixedWatchlist,
  type Watchlist,
  type WatchlistEntry,
  type WatchlistProvider,
} from './passenger-risk/assessment/watchlist';
export {
  WatchlistMatcher,
  type WatchlistMatcherOptions,
} from './passenger-risk/assessment/watchlist-matcher';
/** Evidence export, for `npm run evidence:export` (the REST endpoint uses the same collector). */
export { ConversationNotFoundError, EvidenceCollector } from './evidence/evidence.collector';
