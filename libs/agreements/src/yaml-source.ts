import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

export type Path = readonly (string | number)[];

/** A parsed YAML file that can say where any path sits in it, for error messages a person can act on. */
export class YamlSource {
  readonly value: unknown;
  readonly problems: string[] = [];
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    text: string,
    readonly name: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, keepSourceTokens: true });
    for (const e of this.doc.errors) {
      const pos = e.linePos?.[0];
      this.problems.push(`${name}:${pos?.line ?? 1}:${pos?.col ?? 1} — ${e.message.split('\n')[0]}`);
    }
    this.value = this.doc.errors.length > 0 ? undefined : this.doc.toJS();
  }

  /** Records a problem at `path`, positioned at the nearest node that exists. */
  report(path: Path, what: string): void {
    const { line, col } = this.position(path);
    this.problems.push(`${this.name}:${line}:${col} ${formatPath(path)} — ${what}`);
  }

  private position(path: Path): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const start = node && (isMap(node) || isSeq(node) || 'range' in node) ? node.range?.[0] : undefined;
      if (start !== undefined) return this.lines.linePos(start);
    }
    return { line: 1, col: 1 };
  }
}

export function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
