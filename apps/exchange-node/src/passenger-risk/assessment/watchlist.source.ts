import { statSync } from 'node:fs';
import { AssessmentError } from './assessment.error';
import type { Watchlist, WatchlistProvider } from './watchlist';
import { loadWatchlist } from './watchlist.loader';

/** Where reload problems go; receives positions and codes only, never list contents. */
export type WatchlistLog = (message: string) => void;

const UNREADABLE = 'unreadable: ';

export type ReloadOutcome = 'unchanged' | 'reloaded' | 'kept-previous';

/**
 * A watchlist file that is re-read when it changes. The list is replaced as a whole (a new object), so
 * a matcher holding the previous one is never half-updated. A bad edit does not empty the watchlist:
 * the previous list stays in force and the problem is logged, once per change of the file.
 */
export class WatchlistSource implements WatchlistProvider {
  private list: Watchlist;
  private signature: string;

  /** Loads the file; throws AssessmentError at start-up, when there is no previous list to fall back on. */
  constructor(
    private readonly file: string,
    private readonly log: WatchlistLog,
  ) {
    this.signature = this.currentSignature();
    this.list = loadWatchlist(file);
  }

  current(): Watchlist {
    return this.list;
  }

  /** Cheap when nothing changed (one stat); call it before each assessment or on a timer. */
  reload(): ReloadOutcome {
    const signature = this.currentSignature();
    if (signature === this.signature) return 'unchanged';
    // Remembered even if the new file is bad, so that one bad edit is logged once, not on every call.
    this.signature = signature;
    if (signature.startsWith(UNREADABLE))
      return this.keep([`${this.file}: cannot be read (${signature.slice(UNREADABLE.length)})`]);
    try {
      this.list = loadWatchlist(this.file);
      this.log(`watchlist ${this.file} reloaded: ${this.list.entries.length} entries`);
      return 'reloaded';
    } catch (error) {
      if (error instanceof AssessmentError) return this.keep(error.problems);
      throw error;
    }
  }

  private keep(problems: readonly string[]): ReloadOutcome {
    const n = this.list.entries.length;
    this.log(
      `watchlist reload failed, keeping the previous list (${n} entr${n === 1 ? 'y' : 'ies'}):\n  ${problems.join('\n  ')}`,
    );
    return 'kept-previous';
  }

  /** mtime and size: a same-millisecond rewrite of a different length is still noticed. */
  private currentSignature(): string {
    try {
      const s = statSync(this.file);
      return `${s.mtimeMs}:${s.size}`;
    } catch (error) {
      return `${UNREADABLE}${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
    }
  }
}
