import fs from 'node:fs';
import path from 'node:path';
import { policyMarkdown, readmePolicyBlock } from '../src/policy/policy-markdown';

test('the README shows the permission table as the code defines it (npm run generate rewrites it)', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../README.md'), 'utf8');
  expect(readmePolicyBlock(readme)).toBe(policyMarkdown());
});
