// `tsx scripts/vendor-schema.ts <upstream.json> <shared/….json>`: writes a schema the way shared/ keeps it, without
// the annotations no code reads (shared/schema-annotations.ts), so they do not ship in the Worker. Refresh the
// vendored .gitpod.yml and devcontainer.json schemas with it.

import { readFileSync, writeFileSync } from 'node:fs';
import { withoutAnnotations } from '../shared/schema-annotations.ts';

const [from, to] = process.argv.slice(2);
if (from === undefined || to === undefined) {
  console.error('usage: tsx scripts/vendor-schema.ts <upstream.json> <shared/….json>');
  process.exit(2);
}
const text = readFileSync(from, 'utf8');
// Upstream's indentation (four spaces for Gitpod's, a tab for devcontainers'), so a refresh diffs line by line.
const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
writeFileSync(to, `${JSON.stringify(withoutAnnotations(JSON.parse(text)), null, indent)}\n`);
console.log(`${from} → ${to}, without annotations`);
