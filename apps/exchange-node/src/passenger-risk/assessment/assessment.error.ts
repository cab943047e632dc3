/** Stable codes for what can go wrong in this folder; messages never carry traveler or listed data. */
export type AssessmentErrorCode = 'WATCHLIST_UNREADABLE' | 'WATCHLIST_INVALID' | 'ASSESSOR_CONFIG_INVALID';

export class AssessmentError extends Error {
  constructor(
    readonly code: AssessmentErrorCode,
    /** One line per problem, positioned as file:line:col where there is a file. */
    readonly problems: readonly string[],
  ) {
    super(`${code}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AssessmentError';
  }
}
