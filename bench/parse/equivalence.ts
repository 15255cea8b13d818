// bench/parse/equivalence: the grammar as it is now against a frozen earlier commit of it, on a few hundred thousand
// inputs, so a speed-up can be shown to change no result. A development tool run by hand (not part of npm test):
//
//   npx tsx bench/parse/equivalence.ts [<git revision>]   (default: the grammar before issue 16's third pass)
//
// The revision's shared/ is unpacked with `git archive` into .scratch/ (git-ignored) and imported beside today's.
// Inputs: every string literal in the test files (shared/, extension/, worker/), the bench corpus, variants of
// both (case, slashes, encodings, queries, fragments, modifiers, every prefix, hostile lengths), and generated
// URLs (fast-check, fixed seed). Each goes through parseLaunchInput with four registries and through the public
// helpers the grammar is built from; results are compared serialised (key order, `undefined` values, Maps and
// thrown errors included). Prints the count of inputs and of differences, the first differences in full, and
// exits 1 on any.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { corpus } from './corpus.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The last commit before the segments were read in place (issue 16, third pass). The one before the second pass,
// 9555e1ec1c27bfb8d582d946a90bf19cca9eb6fd, answers differently on purpose since 15a6243 (`git_ssh://…`, `9p://…`
// and the like are refused as schemes now); pass it as the revision to compare with it.
const DEFAULT_BASELINE = '5a80c9d38aef3930c14b4bbe7dd1175bec318347';
const baseline = process.argv[2] ?? DEFAULT_BASELINE;

type Shared = {
  contextUrl: typeof import('../../shared/context-url.ts');
  registry: typeof import('../../shared/host-registry.ts');
  lower: typeof import('../../shared/lower-case.ts');
  encoding: typeof import('../../shared/url-encoding.ts');
  dots: typeof import('../../shared/dot-segments.ts');
  modifiers: typeof import('../../shared/prefix-modifiers.ts');
  paths: typeof import('../../shared/hosts/path-grammar.ts');
  env: typeof import('../../shared/env-vars.ts');
};

async function load(dir: string): Promise<Shared> {
  const at = (path: string) => import(pathToFileURL(join(dir, 'shared', path)).href);
  return {
    contextUrl: await at('context-url.ts'),
    registry: await at('host-registry.ts'),
    lower: await at('lower-case.ts'),
    encoding: await at('url-encoding.ts'),
    dots: await at('dot-segments.ts'),
    modifiers: await at('prefix-modifiers.ts'),
    paths: await at('hosts/path-grammar.ts'),
    env: await at('env-vars.ts'),
  };
}

/** The baseline's shared/, unpacked once per revision. */
function unpackBaseline(revision: string): string {
  const sha = execFileSync('git', ['rev-parse', `${revision}^{commit}`], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const dir = join(root, '.scratch', `parse-baseline-${sha}`);
  if (!existsSync(join(dir, 'shared'))) {
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['archive', sha, 'shared'], { cwd: root, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs

function testFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) testFiles(path, into);
    else if (entry.name.endsWith('.test.ts')) into.push(path);
  }
  return into;
}

/**
 * Every string literal (and every template's literal parts) in a file, unescaped. A small tokenizer (the TypeScript
 * here is the native compiler, with no JS API): comments are skipped; a regex literal holding a quote may throw it
 * off for the rest of a line, which only adds odd inputs.
 */
function literalsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const found: string[] = [];
  let i = 0;
  // Reads a quoted or template literal's characters from i up to its end (`${` ends a template part).
  const readUntil = (quote: string): string => {
    let out = '';
    while (i < text.length) {
      const c = text[i] ?? '';
      if (c === quote) {
        i++;
        return out;
      }
      if (quote === '`' && c === '$' && text[i + 1] === '{') return out;
      if (c === '\\') {
        const [decoded, length] = readEscape(text, i);
        out += decoded;
        i += length;
        continue;
      }
      if (c === '\n' && quote !== '`') return out;
      out += c;
      i++;
    }
    return out;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/')
      i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    else if (c === '/' && text[i + 1] === '*')
      i = text.indexOf('*/', i + 2) === -1 ? text.length : text.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"') {
      i++;
      found.push(readUntil(c));
    } else if (c === '`') {
      i++;
      found.push(readUntil('`'));
      // Template parts: skip each `${…}` (counting braces) and read the part after it.
      while (text[i] === '$' && text[i + 1] === '{') {
        let depth = 0;
        for (; i < text.length; i++) {
          if (text[i] === '{') depth++;
          else if (text[i] === '}' && --depth === 0) break;
        }
        i++;
        found.push(readUntil('`'));
      }
    } else i++;
  }
  return found;
}

/** One escape sequence at `at` (a backslash) → its text and how many characters it took. */
function readEscape(text: string, at: number): [string, number] {
  const c = text[at + 1] ?? '';
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    b: '\b',
    f: '\f',
    v: '\v',
    '0': '\0',
    '\n': '',
  };
  if (c in simple) return [simple[c] ?? '', 2];
  if (c === 'x') return [String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 4), 16)), 4];
  if (c === 'u' && text[at + 2] === '{') {
    const close = text.indexOf('}', at);
    return [String.fromCodePoint(Number.parseInt(text.slice(at + 3, close), 16)), close - at + 1];
  }
  if (c === 'u') return [String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16)), 6];
  return [c, 2];
}

const MODIFIER_PREFIXES = [
  'FOO=bar/',
  'FOO=bar,PATH=x/',
  'A=1,b-c=2,LD_PRELOAD=x,D=%20,E=a%2Fb,=x,F/',
  'referrer:vscode/',
  'referrer:jetbrains-gateway:intellij/',
  'referrer:a:b:c/',
  'imagebuild/',
  'open-prebuild/abc-123/',
  'open-prebuild/abc-123/imagebuild/FOO=bar/referrer:x/',
  'referrer:x/referrer:y/',
  'snapshot/',
  'X=1/X=2/',
];

/** Variants of one input: the shapes users and hosts produce around the same link. */
function variantsOf(input: string, into: Set<string>): void {
  into.add(input);
  into.add(input.toUpperCase());
  into.add(input.toLowerCase());
  into.add(`${input}/`);
  into.add(`${input}//`);
  into.add(`${input}/.`);
  into.add(`${input}/..`);
  into.add(`${input}/./x`);
  into.add(`${input}/%2E%2E/x`);
  into.add(`${input}?at=refs%2Fheads%2Fmain`);
  into.add(`${input}?at=main&until=abc1234&version=GBmain&path=%2Fsrc%2Fa.ts&line=3&lineEnd=1&_a=history`);
  into.add(`${input}?x=a+b&&=&y`);
  into.add(`${input}#L10-L20`);
  into.add(`${input}#lines-4:2`);
  into.add(`${input}#L0`);
  into.add(`${input}?q=1#frag%20x`);
  into.add(`  #/${input}\n`);
  into.add(input.replace('https://', 'http://'));
  into.add(input.replace('https://', 'ssh://git@'));
  into.add(input.replace('https://', 'https://user:pw@'));
  into.add(input.replace('https://', 'HTTPS:/'));
  into.add(input.replace('https://', ''));
  into.add(input.replace(/\//g, '//'));
  into.add(input.replace(/\.com/, '.com.'));
  into.add(input.replace(/\.com/, '.com:443'));
  into.add(input.replace(/\.org/, '.org:80'));
  into.add(input.replaceAll('a', '%61').replaceAll('/', '%2F'));
  into.add(input.replaceAll('e', '%65').replaceAll('.', '%2E'));
  into.add(input.replaceAll('o', '%C3%B6').replaceAll('i', '%'));
  into.add(input.replaceAll('-', 'İ'));
  into.add(input.replaceAll('/', '/\ud800'));
  for (const prefix of MODIFIER_PREFIXES) into.add(prefix + input);
}

/** Every prefix of a link: where a scanner stops early or reads past the end. */
function prefixesOf(input: string, into: Set<string>): void {
  for (let i = 0; i <= input.length; i++) into.add(input.slice(0, i));
}

const HOSTS = [
  'github.com',
  'GitHub.com',
  'www.github.com',
  'github.dev',
  'gitlab.com',
  'bitbucket.org',
  'codeberg.org',
  'dev.azure.com',
  'myorg.visualstudio.com',
  '..visualstudio.com',
  '.visualstudio.com',
  'ssh.dev.azure.com',
  'vs-ssh.visualstudio.com',
  'bitbucket.corp.example',
  'gitlab.corp.example',
  'ghe.example',
  'corp.example',
  'git.corp.example:8443',
  'localhost:3001',
  'localhost',
  'gitea.local:3000',
  'tfs.corp.example',
  'unknown.example',
  'nodot',
  '127.0.0.1:8080',
];

const SEGMENTS = [
  'owner',
  'Repo-1',
  'repo.git',
  '-',
  'tree',
  'blob',
  'commits',
  'commit',
  'pull',
  'pulls',
  'issues',
  'merge_requests',
  'releases',
  'tag',
  'tags',
  'src',
  'raw',
  'branch',
  'browse',
  'projects',
  'repos',
  'users',
  'scm',
  'pull-requests',
  '_git',
  'DefaultCollection',
  'v3',
  'pullrequest',
  'new',
  'files',
  'diffs',
  'diff',
  'main',
  'feature',
  'v1.0',
  '.',
  '..',
  '.github',
  '12',
  '0',
  '2147483648',
  '12abc',
  '1a2b3c4',
  '8e2f3f3b4c5d6e7f8091a2b3c4d5e6f708192a3b',
  'ABCDEF0',
  'caf%C3%A9',
  'a%2Fb',
  '%2E%2E',
  '50%off',
  '~user',
  'settings',
  'orgs',
  'api',
  'a b',
  'x.diff',
  '7.patch',
  'work_items',
  'blame',
  '..git',
  '...git',
  'x%2F..',
  'a%2F.b',
  '%2E',
  '.%2E',
  'a.b',
];

const QUERIES = [
  '',
  '?at=main',
  '?at=refs/heads/a/b',
  '?at=refs%2Ftags%2Fv1',
  '?version=GTv1&path=/a',
  '?_a=files',
];
const FRAGMENTS = [
  '',
  '#L3',
  '#L3C2-L5C1',
  '#L10-20',
  '#lines-2:9',
  '#4-2',
  '#x',
  '#L99999999',
  '#L1C',
  '#L1-',
  '#L1-LC2',
  '#L1,x%0Ay',
  '#L1,x%E2%80%A8',
  '#12345678',
  '#1234567',
  '#lines-1:L2C3,foo',
  '#L01-L0',
  '#L2:L1C9',
  '#lines-',
  '#LL1',
];

/** Generated links: a scheme, maybe credentials, a host, keyword-heavy segments, a query and a fragment. */
function generated(count: number): string[] {
  const segment = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    {
      weight: 1,
      arbitrary: fc.stringMatching(/^[A-Za-z0-9._%~-]{1,12}$/),
    },
  );
  const link = fc
    .record({
      prefix: fc.constantFrom('', '', '', ...MODIFIER_PREFIXES, '#', '/', ' '),
      scheme: fc.constantFrom(
        'https://',
        'https://',
        'http://',
        'ssh://git@',
        'git+ssh://',
        'HTTPS:/',
        '',
        'ftp://',
      ),
      user: fc.constantFrom('', '', '', 'u@', 'u:p@', 'a@b@'),
      host: fc.constantFrom(...HOSTS),
      port: fc.constantFrom('', '', '', ':443', ':80', ':7999', ':22'),
      scp: fc.boolean(),
      segments: fc.array(segment, { maxLength: 9 }),
      slash: fc.constantFrom('', '', '/'),
      query: fc.constantFrom(...QUERIES),
      fragment: fc.constantFrom(...FRAGMENTS),
    })
    .map((p) =>
      p.scp
        ? `${p.prefix}git@${p.host}:${p.segments.join('/')}${p.slash}`
        : `${p.prefix}${p.scheme}${p.user}${p.host}${p.port}/${p.segments.join('/')}${p.slash}${p.query}${p.fragment}`,
    );
  const any = fc.oneof(
    { weight: 9, arbitrary: link },
    { weight: 1, arbitrary: fc.webUrl() },
    { weight: 1, arbitrary: fc.string() },
  );
  return fc.sample(any, { numRuns: count, seed: 16 });
}

function inputs(): string[] {
  const literals = new Set<string>();
  for (const dir of ['shared', 'extension', 'worker']) {
    for (const file of testFiles(join(root, dir))) for (const text of literalsOf(file)) literals.add(text);
  }
  const all = new Set<string>();
  // Literals that look like a link or a context get the variants; all are parsed as they are.
  for (const text of literals) {
    if (text.length < 400 && /[./:=@]/.test(text)) variantsOf(text, all);
    else all.add(text);
  }
  for (const link of corpus) {
    variantsOf(link, all);
    prefixesOf(link, all);
  }
  // Fragments on their own, for the helpers that read them (parseLines).
  for (const fragment of FRAGMENTS) variantsOf(fragment.slice(1), all);
  for (const link of generated(60_000)) {
    all.add(link);
    prefixesOf(link.slice(0, 24), all);
  }
  // Hostile lengths: around the 8,192-character limit, and long runs of each separator.
  const long = 'https://github.com/o/r/tree/';
  for (const n of [8191, 8192, 8193]) {
    all.add(long + 'a'.repeat(n - long.length));
    all.add(long + 'a/'.repeat(n).slice(0, n - long.length));
  }
  for (const c of ['/', '%', '.', '%2F', 'a=b,', '@', ':', '#', '?', '&', ' ']) all.add(c.repeat(2000));
  all.add(`${'FOO=bar/'.repeat(500)}https://github.com/o/r`);
  all.add(`https://gitlab.com/${'g/'.repeat(200)}p/-/tree/${'x/'.repeat(200)}`);
  return [...all];
}

// ---------------------------------------------------------------------------------------------------------------
// Running both

const registryConfigs = [
  [],
  [
    { hostname: 'bitbucket.corp.example', family: 'bitbucket-server' },
    { hostname: 'gitlab.corp.example', family: 'gitlab' },
  ],
  [
    { hostname: 'ghe.example', family: 'github', basePath: '/gh' },
    { hostname: 'git.corp.example:8443', family: 'github' },
    { hostname: 'corp.example', family: 'gitlab', basePath: '/gitlab' },
    { hostname: 'corp.example', family: 'bitbucket-server', basePath: '/bitbucket' },
    { hostname: 'corp.example', family: 'gitea' },
    { hostname: 'tfs.corp.example', family: 'azure-devops', basePath: '/tfs/DefaultCollection' },
    { hostname: 'github.com', family: 'github', apiBaseUrl: 'http://localhost:9999' },
  ],
  [
    { hostname: 'localhost:3001', family: 'gitlab', allowHttp: true },
    { hostname: 'localhost', family: 'bitbucket-server', allowHttp: true },
    { hostname: 'gitea.local:3000', family: 'gitea', allowHttp: true },
    { hostname: '127.0.0.1:8080', family: 'azure-devops', allowHttp: true },
  ],
] as const;

/** JSON with `undefined` values, Maps and Sets kept visible, so `{ path: undefined }` differs from `{}`. */
function serialise(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === undefined) return '«undefined»';
    if (v instanceof Map) return { '«Map»': [...v] };
    if (v instanceof Set) return { '«Set»': [...v] };
    return v;
  });
}

function attempt(run: () => unknown): string {
  try {
    return serialise(run());
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

/** One line per question asked of an input: what the grammar answered. */
function answers(shared: Shared, registries: unknown[], input: string): string[] {
  const { contextUrl, lower, encoding, dots, modifiers, paths, env } = shared;
  const out: string[] = [];
  for (const registry of registries) {
    out.push(attempt(() => contextUrl.parseLaunchInput(input, registry as never)));
  }
  const short = input.length <= 200;
  if (short) {
    const registry = registries[2] as {
      lookup(h: string, p?: string): unknown;
      lookupSsh(h: string): unknown;
    };
    const slash = input.indexOf('/');
    const host = slash === -1 ? input : input.slice(0, slash);
    const path = slash === -1 ? undefined : input.slice(slash);
    out.push(
      attempt(() => lower.lowerCase(input)),
      attempt(() => lower.lowerSlice(input, 1, input.length - 1)),
      attempt(() => encoding.decodeLenient(input)),
      attempt(() => encoding.decodeQueryComponent(input)),
      attempt(() => encoding.isWellFormedText(input)),
      attempt(() => encoding.parseQuery(input)),
      attempt(() => dots.hasDotSegment(input)),
      attempt(() => modifiers.readPrefixModifiers(input)),
      attempt(() => paths.parseLines(input)),
      attempt(() => paths.readNumber(input)),
      attempt(() => paths.isSha(input)),
      attempt(() => paths.isFullSha(input)),
      attempt(() => paths.stripGitSuffix(input)),
      attempt(() => paths.refAndPath(input.split('/'), 'file', 1)),
      attempt(() => paths.refAndPath(input.split('/'), 'folder', 0)),
      attempt(() => env.readEnvSegment(input, new Map(), [])),
      attempt(() => registry.lookup(host, path)),
      attempt(() => registry.lookupSsh(host)),
    );
  }
  return out;
}

const baselineDir = unpackBaseline(baseline);
const before = await load(baselineDir);
const after = await load(root);
const registriesOf = (shared: Shared) =>
  registryConfigs.map((configs) => {
    const created = shared.registry.createHostRegistry(configs);
    if (!created.ok) throw new Error(created.error);
    return created.value;
  });
const beforeRegistries = registriesOf(before);
const afterRegistries = registriesOf(after);

const all = inputs();
let questions = 0;
const differences: { input: string; question: number; before: string; after: string }[] = [];
for (const input of all) {
  const a = answers(before, beforeRegistries, input);
  const b = answers(after, afterRegistries, input);
  questions += a.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) differences.push({ input, question: i, before: a[i] ?? '', after: b[i] ?? '' });
  }
}
console.log(
  JSON.stringify({
    baseline: relative(root, baselineDir),
    inputs: all.length,
    questions,
    differences: differences.length,
  }),
);
for (const d of differences.slice(0, 10)) console.log(JSON.stringify(d, null, 2));
if (differences.length > 0) process.exit(1);
