/** A parties or agreements file that cannot be used; the message lists every problem with its position. */
export class AgreementsFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid agreements configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AgreementsFileError';
  }
}
