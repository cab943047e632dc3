import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkLinks, checkMarkdown, formatProblem } from './check-links';

const ROOT = resolve(__dirname, '../..');

describe('link check of README.md and docs/', () => {
  it('finds no broken link, no link out of the repository and no mention of ../shared in this repository', () => {
    expect(checkLinks(ROOT).map(formatProblem)).toEqual([]);
  });

  describe('on a small repository', () => {
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'puente-links-'));
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs', 'api.md'), '# API\n');
      writeFileSync(join(root, 'package.json'), '{}\n');
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const problems = (file: string, text: string) =>
      checkMarkdown(root, file, text).map((p) => `${p.line} ${p.problem} ${p.target}`);

    it('accepts links to files that exist, anchors, web links and folders', () => {
      const text = [
        'See [the API](docs/api.md#errors), [the manifest](./package.json "title"), [docs](docs/).',
        '[Top](#top), [Kafka](https://kafka.apache.org/), [mail](mailto:security@example.org).',
        '[ref]: docs/api.md',
      ].join('\n');
      expect(problems('README.md', text)).toEqual([]);
    });

    it('resolves a link from the folder of the file that holds it', () => {
      expect(problems('docs/ops.md', '[api](api.md) and [readme](../package.json)')).toEqual([]);
      expect(problems('docs/ops.md', '[api](docs/api.md)')).toEqual(['1 missing docs/api.md']);
    });

    it('reports a link to a missing file, with its line', () => {
      expect(problems('README.md', 'one\n[x](docs/nothing.md)\n[ref]: missing.md')).toEqual([
        '2 missing docs/nothing.md',
        '3 missing missing.md',
      ]);
    });

    it('reports a link that leaves the repository, even to a file that exists', () => {
      const outside = join(root, '..');
      expect(problems('README.md', `[up](../${outside.split('/').pop() ?? ''})`)).toEqual([
        `1 outside-repository ../${outside.split('/').pop() ?? ''}`,
      ]);
      expect(problems('docs/a.md', '[up](../../etc/passwd)')).toEqual([
        '1 outside-repository ../../etc/passwd',
      ]);
    });

    it('reports any mention of ../shared, in a link or in prose or code', () => {
      expect(problems('README.md', 'The map: [design](../shared/design.md)')).toEqual([
        '1 refers-to-shared ../shared',
        '1 outside-repository ../shared/design.md',
      ]);
      expect(problems('README.md', '```\ncat ../shared/style.md\n```')).toEqual([
        '2 refers-to-shared ../shared',
      ]);
    });

    it('does not read links inside code', () => {
      expect(problems('README.md', 'Write `[x](nowhere.md)`.\n```md\n[y](gone.md)\n```')).toEqual([]);
    });
  });
});
