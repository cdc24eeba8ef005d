import { DEPARTMENTS } from '../auth/principal';
import { CONDITIONS } from './conditions';
import { FIELD_ACCESS } from './field-access';
import { PURPOSE_EXCLUDES, PURPOSES } from './purposes';

const SHORT: Record<(typeof DEPARTMENTS)[number], string> = {
  CIVIL_AFFAIRS: 'CA',
  EDUCATION: 'ED',
  PUBLIC_SECURITY: 'PS',
  JUSTICE: 'JU',
  YOUTH_LEAGUE: 'YL',
  WOMENS_FEDERATION: 'WF',
  ENTERPRISE: 'EN',
  SUPERVISION: 'SV',
};

/** The permission table as docs/permissions.md shows it: one row per field, one column per department. */
export function policyMarkdown(): string {
  const header = `| field | ${DEPARTMENTS.map((d) => SHORT[d]).join(' | ')} | roles | data |`;
  const rule = `|---|${DEPARTMENTS.map(() => ':-:').join('|')}|---|---|`;
  const rows = Object.entries(FIELD_ACCESS).map(([key, r]) => {
    const cells = DEPARTMENTS.map((d) => {
      const access = r.access[d];
      const standing = access === 'full' ? '✓' : access === 'masked' ? `masked (${r.mask})` : '';
      const condition = r.fullWhen?.[d];
      if (!condition) return standing;
      const lifted = `full with ${CONDITIONS[condition].label}`;
      return standing ? `${standing}; ${lifted}` : lifted;
    });
    return `| \`${key}\` | ${cells.join(' | ')} | ${r.roles?.join(', ') ?? ''} | ${r.data ?? ''} |`;
  });
  const legend = DEPARTMENTS.map((d) => `${SHORT[d]} = ${d}`).join(', ');
  const purposes = PURPOSES.map((p) => `| ${p} | ${PURPOSE_EXCLUDES[p].join(', ') || '—'} |`);
  const conditions = Object.values(CONDITIONS).map((c) => `full with ${c.label} = full ${c.description}`);
  return [
    `${legend}. ✓ = full, masked = shown through the named mask, blank = none (FORBIDDEN); ${conditions.join('; ')}.`,
    'A field with a `data` category resolves only under a purpose that does not exclude it:',
    '',
    '| purpose | never resolves |',
    '|---|---|',
    ...purposes,
    '',
    header,
    rule,
    ...rows,
  ].join('\n');
}

/** The page that documents the permissions; its policy block is the table as the code defines it. */
export const POLICY_DOC = 'docs/permissions.md';

const POLICY_BLOCK = /(<!-- policy:start -->\n)[\s\S]*?(\n<!-- policy:end -->)/;

/** The page's copy of the table, or null when the page has no policy block. */
export function documentedPolicyBlock(page: string): string | null {
  const match = POLICY_BLOCK.exec(page);
  return match ? match[0].slice(match[1].length, -match[2].length) : null;
}

/** The page with its policy block replaced by the table as the code defines it. */
export function withCurrentPolicy(page: string): string {
  if (!POLICY_BLOCK.test(page))
    throw new Error(`${POLICY_DOC} has no <!-- policy:start --> ... <!-- policy:end --> block`);
  return page.replace(POLICY_BLOCK, (_m, start: string, end: string) => `${start}${policyMarkdown()}${end}`);
}
