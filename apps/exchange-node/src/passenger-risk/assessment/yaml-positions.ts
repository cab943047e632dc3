import { type Document, isNode, LineCounter, parseDocument } from 'yaml';

export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML text that can say where a path sits, so that a problem reads "file:line:col path — what".
 * Problems name the field, never its value: watchlist values are personal data.
 */
export class YamlPositions {
  readonly problems: string[] = [];
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    text: string,
    private readonly name: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true });
    for (const e of this.doc.errors) {
      const at = e.linePos?.[0] ?? { line: 1, col: 1 };
      // The first line of the library's message is generic; the lines after it quote the source.
      const what = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      this.problems.push(`${name}:${at.line}:${at.col} — YAML ${e.code}: ${what}`);
    }
    this.value = this.doc.errors.length > 0 ? undefined : this.doc.toJS();
  }

  /** Records a problem at `path`, positioned at the nearest node that exists (the parent for a missing key). */
  report(path: YamlPath, what: string): void {
    const { line, col } = this.position(path);
    this.problems.push(`${this.name}:${line}:${col} ${formatPath(path)} — ${what}`);
  }

  private position(path: YamlPath): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]);
    }
    return { line: 1, col: 1 };
  }
}

export function formatPath(path: YamlPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
