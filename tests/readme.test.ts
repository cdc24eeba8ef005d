import fs from 'node:fs';
import path from 'node:path';
import { policyMarkdown } from '../src/policy/policy-markdown';

test('the README shows the permission table as the code defines it (npm run -s hub -- policy)', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../README.md'), 'utf8');
  const block = /<!-- policy:start -->\n([\s\S]*?)\n<!-- policy:end -->/.exec(readme);
  expect(block?.[1]).toBe(policyMarkdown());
});
