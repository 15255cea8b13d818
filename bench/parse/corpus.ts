// The mixed corpus bench/parse measures: 1,024 real-world URL shapes over all four host families, modifiers with
// refused env items, ssh and scp forms, and 12.5 % refused inputs. Shared by every build the bench runs.

import { createHostRegistry } from '../../shared/host-registry.ts';

export const registry = createHostRegistry([
  { hostname: 'bitbucket.corp.example', family: 'bitbucket-server' },
  { hostname: 'gitlab.corp.example', family: 'gitlab' },
]);
if (!registry.ok) throw new Error(registry.error);

const owners = ['microsoft', 'gitpod-io', 'torvalds', 'facebook', 'rust-lang', 'vercel', 'golang', 'nodejs'];
const repos = ['vscode', 'gitpod', 'linux', 'react', 'rust', 'next.js', 'go', 'node'];
const refs = [
  'main',
  'develop',
  'caf%C3%A9',
  'release/1.2',
  'feature/a/b/c',
  'v2.0.0',
  'fix%23123',
  '8e2f3f3b4c5d6e7f8091a2b3c4d5e6f708192a3b',
];
const templates: ((o: string, r: string, ref: string, n: number) => string)[] = [
  (o, r) => `https://github.com/${o}/${r}`,
  (o, r, ref) => `https://github.com/${o}/${r}/tree/${ref}`,
  (o, r, ref) => `https://github.com/${o}/${r}/blob/${ref}/src/index.ts#L10-L20`,
  (o, r, _, n) => `https://github.com/${o}/${r}/pull/${n}/files`,
  (o, r, _, n) => `github.com/${o}/${r}/issues/${n}`,
  (o, r) => `git@github.com:${o}/${r}.git`,
  (o, r, ref) => `FOO=bar,PATH=x/referrer:badge/https://github.com/${o}/${r}/commits/${ref}`,
  (o, r, ref) => `https://gitlab.com/${o}/sub/${r}/-/tree/${ref}/app`,
  (o, r, _, n) => `https://gitlab.com/${o}/${r}/-/merge_requests/${n}/diffs`,
  (o, r, ref) => `https://gitlab.corp.example/${o}/${r}/blob/${ref}/README.md#L3`,
  (o, r, ref) => `https://bitbucket.org/${o}/${r}/src/${ref}/README.md?at=main#lines-4`,
  (o, r, _, n) => `https://bitbucket.org/${o}/${r}/pull-requests/${n}/diff`,
  (o, r, ref) =>
    `https://bitbucket.corp.example/projects/${o.toUpperCase()}/repos/${r}/browse/a.go?at=refs%2Fheads%2F${ref}`,
  (o, r) => `ssh://git@bitbucket.corp.example:7999/${o}/${r}.git`,
  (o, r) => `https://unknown.example/${o}/${r}`,
  (o) => `https://github.com/${o}`,
];

export const corpus: string[] = [];
for (const [i, template] of templates.entries()) {
  for (const [j, owner] of owners.entries()) {
    for (const [k, ref] of refs.entries()) {
      corpus.push(template(owner, repos[(j + k) % repos.length] ?? 'x', ref, 1 + i * 100 + j * 10 + k));
    }
  }
}
