import fs from 'node:fs';
import path from 'node:path';
import { documentedPolicyBlock, POLICY_DOC, policyMarkdown } from '../src/policy/policy-markdown';

const ROOT = path.join(__dirname, '..');
const README = 'README.md';
const DOCS = fs
  .readdirSync(path.join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The text a reader sees as prose: fenced code blocks and inline code hold no links. */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** Targets of the page's markdown links that stay in this repository (no scheme). */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n ? `${slug}-${n}` : slug);
  }
  return out;
}

/** Links of `file` whose file or heading does not exist, as "file → target". */
function brokenLinks(file: string): string[] {
  return relativeLinks(read(file)).flatMap((target) => {
    const [pathPart, anchor] = target.split('#');
    const linked = pathPart ? path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart)) : file;
    const exists = fs.existsSync(path.join(ROOT, linked));
    const found = exists && (!anchor || !linked.endsWith('.md') || anchors(read(linked)).has(anchor));
    return found ? [] : [`${file} → ${target}`];
  });
}

test('the README fits on a screen: at most 250 lines', () => {
  expect(read(README).trimEnd().split('\n').length).toBeLessThanOrEqual(250);
});

test('every page the README links under docs/ exists, and every page in docs/ is linked from the README', () => {
  const linked = relativeLinks(read(README))
    .map((target) => target.split('#')[0])
    .filter((target) => target.startsWith('docs/'));
  expect(linked.filter((file) => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
  expect(DOCS.filter((file) => !linked.includes(file))).toEqual([]);
});

test('every relative link in the README and docs/ resolves, to a file and to a heading of it', () => {
  expect([README, ...DOCS].flatMap(brokenLinks)).toEqual([]);
});

test('docs/permissions.md shows the permission table as the code defines it (npm run generate rewrites it)', () => {
  expect(documentedPolicyBlock(read(POLICY_DOC))).toBe(policyMarkdown());
});
