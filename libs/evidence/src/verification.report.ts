/** A check that failed: the member it concerns and what is wrong, in words. */
export class EvidenceFailure extends Error {
  constructor(
    readonly member: string,
    readonly problem: string,
  ) {
    super(`${member}: ${problem}`);
    this.name = 'EvidenceFailure';
  }
}

export interface EvidenceReport {
  readonly ok: boolean;
  /** The report for people, line by line: what was checked and found, in the order it was checked. */
  readonly lines: readonly string[];
  /** Said but not failed: what the bundle cannot prove on its own (e.g. entries after the last checkpoint). */
  readonly notes: readonly string[];
  readonly failure?: { readonly member: string; readonly problem: string };
}

/** Collects the report as the checks go; `fail` stops them at the first thing that fails. */
export class ReportWriter {
  readonly lines: string[] = [];
  readonly notes: string[] = [];

  line(text: string): void {
    this.lines.push(text);
  }

  note(text: string): void {
    this.notes.push(text);
    this.lines.push(`   note: ${text}`);
  }

  fail(member: string, problem: string): never {
    throw new EvidenceFailure(member, problem);
  }
}
