// Real bare git repositories for the fake hosts' model, so `git clone` and the fake APIs agree on every sha.
// Never writes outside `<root>/<hostname>/…`, and never lets the caller's git configuration change an object id.

import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createHostRegistry, defaultHostRegistry, hostFamilies } from '../../shared/host-registry.ts';
import type { HostEntry } from '../../shared/hosts/host-family.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import { fakeFamilies } from './families.ts';
import {
  type FakeCommit,
  type FakeHostData,
  type FakePull,
  type FakeRepo,
  findRepo,
  fullName,
} from './model.ts';

/** A commit to append on top of a branch (or, for a new branch, on top of the default branch). */
export interface NewCommit {
  readonly owner: string;
  readonly name: string;
  readonly branch: string;
  readonly message: string;
  /** Changes to the parent's tree: path → text; `null` deletes the file. */
  readonly files: Readonly<Record<string, string | null>>;
  /** Default: the model's author of the parent commit. */
  readonly author?: string;
  /** ISO 8601. Default: one day after the parent, so repeated runs give the same sha. */
  readonly date?: string;
}

/** The family each materialised model was written for: addCommit needs it for the pull-request refs. */
const familyOfData = new WeakMap<FakeHostData, HostFamilyId>();

/** The environment of every git process: no system or user configuration, no inherited repository. */
export function gitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  for (const name of Object.keys(env)) {
    if (/^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE)$/.test(name))
      delete env[name];
  }
  return { ...env, ...extra };
}

/** Runs git with an argv array; resolves its stdout, rejects with its stderr. */
export function git(
  args: readonly string[],
  options: { cwd?: string; input?: Buffer } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`git ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
    child.stdin.on('error', () => {}); // a git that failed early closes its stdin; its exit code tells why
    child.stdin.end(options.input);
  });
}

/** The registered host entry of a model's hostname; self-hosted names need their family. */
function hostEntry(data: FakeHostData, family?: HostFamilyId): HostEntry {
  const builtin = defaultHostRegistry.lookup(data.hostname);
  if (builtin !== undefined && (family === undefined || builtin.family === family)) return builtin;
  if (family === undefined) {
    throw new Error(`${data.hostname} is not a built-in host: pass its family (e.g. 'bitbucket-server').`);
  }
  const registry = createHostRegistry([
    { hostname: data.hostname, family, ...(data.basePath !== undefined && { basePath: data.basePath }) },
  ]);
  const entry = registry.ok ? registry.value.lookup(data.hostname, data.basePath) : undefined;
  if (entry === undefined) throw new Error(`cannot register ${data.hostname} as ${family}`);
  return entry;
}

/** The repository's https clone URL on its real host, as the launcher writes it: `https://github.com/o/r.git`. */
export function cloneUrl(
  data: FakeHostData,
  repo: Pick<FakeRepo, 'owner' | 'name'>,
  family = familyOfData.get(data),
): string {
  const entry = hostEntry(data, family);
  return hostFamilies[entry.family].cloneUrl(
    { host: entry.hostname, family: entry.family, owner: repo.owner, name: repo.name },
    entry,
  );
}

/** `<root>/<hostname><clone URL path>`: `<root>/bitbucket.launchpod.test/scm/plat/node-app.git`. */
export function bareRepoDir(
  root: string,
  data: FakeHostData,
  repo: Pick<FakeRepo, 'owner' | 'name'>,
  family = familyOfData.get(data),
): string {
  const entry = hostEntry(data, family);
  const url = cloneUrl(data, repo, entry.family);
  return join(root, entry.hostname, url.slice(entry.origin.length));
}

/**
 * Writes every repository of `data` as a bare repository under `root` (replacing what was there) and returns a
 * copy of the model whose shas are the real git ids. Authors, committers and dates come from the model only,
 * so the ids are the same on every run and machine.
 */
export async function materialise(
  data: FakeHostData,
  root: string,
  family?: HostFamilyId,
): Promise<FakeHostData> {
  const entry = hostEntry(data, family);
  const pullRef = fakeFamilies[entry.family].pullRef;
  const realShas = await Promise.all(
    data.repos.map((repo) => writeRepo(data, repo, bareRepoDir(root, data, repo, entry.family), pullRef)),
  );
  const byName = new Map(data.repos.map((repo, i) => [fullName(repo), realShas[i] ?? new Map()]));
  const repos = data.repos.map((repo, i): FakeRepo => {
    const real = realShas[i] ?? new Map<string, string>();
    const map = (sha: string) => real.get(sha) ?? sha;
    const commits: Record<string, FakeCommit> = {};
    for (const commit of Object.values(repo.commits)) {
      const sha = map(commit.sha);
      commits[sha] = { ...commit, sha, parents: commit.parents.map(map), files: { ...commit.files } };
    }
    return {
      ...repo,
      branches: mapValues(repo.branches, map),
      tags: mapValues(repo.tags, map),
      commits,
      // A fork's pull request names the fork's commit: map it with the fork's ids (the same ones, imported here).
      pulls: repo.pulls.map((pull) => ({
        ...pull,
        headSha: byName.get(pull.headRepo)?.get(pull.headSha) ?? map(pull.headSha),
      })),
      issues: repo.issues.map((issue) => ({ ...issue })),
    };
  });
  const result: FakeHostData = {
    hostname: data.hostname,
    ...(data.basePath !== undefined && { basePath: data.basePath }),
    repos,
    tokens: { ...data.tokens },
  };
  familyOfData.set(result, entry.family);
  return result;
}

/** One repository through `git fast-import`; returns model sha → real sha. */
async function writeRepo(
  data: FakeHostData,
  repo: FakeRepo,
  dir: string,
  pullRef: ((n: number) => string) | undefined,
): Promise<Map<string, string>> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await git(['init', '--quiet', '--bare', `--initial-branch=${repo.defaultBranch}`, dir]);
  // Clients may fetch a commit by id (a workspace pinned to a sha), as github.com allows.
  await appendFile(join(dir, 'config'), '[uploadpack]\n\tallowAnySHA1InWant = true\n');

  const stream = new ImportStream(data.hostname);
  const work = `refs/heads/${repo.defaultBranch}`;
  const marks = new Map<string, number>();
  const write = (owner: FakeRepo, sha: string): number | undefined => {
    const key = `${fullName(owner)}\0${sha}`;
    const known = marks.get(key);
    if (known !== undefined) return known;
    const commit = owner.commits[sha];
    if (commit === undefined) return undefined;
    // Parents first: the model is a DAG keyed by sha, in no particular order.
    const parents = commit.parents.map((p) => write(owner, p));
    if (parents.some((p) => p === undefined))
      throw new Error(`${fullName(owner)}: ${sha} has a missing parent`);
    const mark = stream.commit(work, commit, parents as number[]);
    marks.set(key, mark);
    return mark;
  };
  for (const sha of Object.keys(repo.commits)) write(repo, sha);
  const refs: [string, number | undefined][] = [
    ...Object.entries(repo.branches).map(([b, sha]): [string, number | undefined] => [
      `refs/heads/${b}`,
      write(repo, sha),
    ]),
    ...Object.entries(repo.tags).map(([t, sha]): [string, number | undefined] => [
      `refs/tags/${t}`,
      write(repo, sha),
    ]),
  ];
  if (pullRef !== undefined) {
    for (const pull of repo.pulls) {
      // A fork's head commits are fetched into the base repository, as the host does when the PR is opened.
      const head = data.repos.find((r) => fullName(r) === pull.headRepo) ?? repo;
      refs.push([pullRef(pull.number), write(head, pull.headSha)]);
    }
  }
  for (const [ref, mark] of refs) if (mark !== undefined) stream.reset(ref, mark);
  if (repo.branches[repo.defaultBranch] === undefined) stream.delete(work);

  const real = await stream.run(dir);
  const out = new Map<string, string>();
  for (const [key, mark] of marks) {
    const [owner, sha] = key.split('\0');
    const id = real.get(mark);
    if (owner === fullName(repo) && sha !== undefined && id !== undefined) out.set(sha, id);
  }
  return out;
}

/**
 * Appends a commit on `branch` of the bare repository at `repoDir` and of the model in place (the fake APIs hold
 * the same objects, so they answer with it at once). Same-repository open pull requests from that branch move too.
 * Returns the new sha.
 */
export function addCommit(repoDir: string, data: FakeHostData, change: NewCommit): Promise<string> {
  // One writer per repository at a time, so two appends never race on the branch.
  const previous = writers.get(repoDir) ?? Promise.resolve('');
  const next = previous.catch(() => '').then(() => appendCommit(repoDir, data, change));
  writers.set(repoDir, next);
  return next;
}

const writers = new Map<string, Promise<string>>();

async function appendCommit(repoDir: string, data: FakeHostData, change: NewCommit): Promise<string> {
  const repo = findRepo(data, change.owner, change.name);
  if (repo === undefined) throw new Error(`no repository ${change.owner}/${change.name} on ${data.hostname}`);
  const parentSha = repo.branches[change.branch] ?? repo.branches[repo.defaultBranch];
  const parent = parentSha === undefined ? undefined : repo.commits[parentSha];
  const files: Record<string, string> = { ...(parent?.files ?? {}) };
  for (const [path, text] of Object.entries(change.files)) {
    if (text === null) delete files[path];
    else files[path] = text;
  }
  const date =
    change.date ??
    new Date(
      (parent === undefined ? Date.UTC(2026, 9, 1, 12) : Date.parse(parent.date)) + 86_400_000,
    ).toISOString();
  const draft: FakeCommit = {
    sha: '',
    parents: parent === undefined ? [] : [parent.sha],
    message: change.message,
    author: change.author ?? parent?.author ?? 'sample-bot',
    date,
    files,
  };

  const family = familyOfData.get(data);
  const pullRef = family === undefined ? undefined : fakeFamilies[family].pullRef;
  const moved = repo.pulls
    .map((pull, index) => ({ pull, index }))
    .filter(
      ({ pull }) =>
        pull.state === 'open' &&
        pull.headDeleted !== true &&
        pull.headRepo === fullName(repo) &&
        pull.headRef === change.branch,
    );

  const stream = new ImportStream(data.hostname);
  const mark = stream.commit(`refs/heads/${change.branch}`, draft, parent === undefined ? [] : [parent.sha]);
  if (pullRef !== undefined) for (const { pull } of moved) stream.reset(pullRef(pull.number), mark);
  const sha = (await stream.run(repoDir)).get(mark);
  if (sha === undefined) throw new Error(`git fast-import gave no id for the new commit in ${repoDir}`);

  // The model's types are read-only for the fakes; this module owns the objects it built in materialise.
  (repo.commits as Record<string, FakeCommit>)[sha] = { ...draft, sha };
  (repo.branches as Record<string, string>)[change.branch] = sha;
  for (const { pull, index } of moved) (repo.pulls as FakePull[])[index] = { ...pull, headSha: sha };
  return sha;
}

/** A `git fast-import` stream: commits with their whole tree, then ref updates. */
class ImportStream {
  private readonly chunks: Buffer[] = [Buffer.from('feature done\n')];
  private nextMark = 1;

  constructor(private readonly hostname: string) {}

  /** Writes `commit` on `ref`; parents are marks of this stream or existing shas. Returns its mark. */
  commit(ref: string, commit: FakeCommit, parents: readonly (number | string)[]): number {
    const mark = this.nextMark++;
    const [first, ...merges] = parents.map((p) => (typeof p === 'number' ? `:${p}` : p));
    // Without `from`, fast-import would continue from the ref's current tip: a root commit needs a reset first.
    if (first === undefined) this.text(`reset ${ref}\n`);
    const who = identity(commit.author, this.hostname, commit.date);
    this.text(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`);
    this.data(commit.message.endsWith('\n') ? commit.message : `${commit.message}\n`);
    if (first !== undefined) this.text(`from ${first}\n`);
    for (const merge of merges) this.text(`merge ${merge}\n`);
    this.text('deleteall\n');
    for (const path of Object.keys(commit.files).sort()) {
      this.text(`M 100644 inline ${quotePath(path)}\n`);
      this.data(commit.files[path] ?? '');
    }
    this.text('\n');
    return mark;
  }

  reset(ref: string, mark: number): void {
    this.text(`reset ${ref}\nfrom :${mark}\n\n`);
  }

  /** A reset without `from` deletes the ref. */
  delete(ref: string): void {
    this.text(`reset ${ref}\n\n`);
  }

  /** Feeds the stream to the bare repository at `dir`; returns mark → sha. */
  async run(dir: string): Promise<Map<number, string>> {
    const marksFile = join(dir, `launchpod-import-${process.pid}-${Date.now()}.marks`);
    try {
      await git(['fast-import', '--quiet', `--export-marks=${marksFile}`], {
        cwd: dir,
        input: Buffer.concat([...this.chunks, Buffer.from('done\n')]),
      });
      const marks = new Map<number, string>();
      for (const line of (await readFile(marksFile, 'utf8')).split('\n')) {
        const match = /^:(\d+) ([0-9a-f]{40})$/.exec(line);
        if (match?.[1] !== undefined && match[2] !== undefined) marks.set(Number(match[1]), match[2]);
      }
      return marks;
    } finally {
      await rm(marksFile, { force: true });
    }
  }

  private text(text: string): void {
    this.chunks.push(Buffer.from(text, 'utf8'));
  }

  private data(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  }
}

/** `sample-bot <sample-bot@users.noreply.github.com> 1790856000 +0000`: the model's author, nothing local. */
function identity(author: string, hostname: string, date: string): string {
  const name = author.replace(/[<>\n]/g, '');
  const seconds = Math.floor(Date.parse(date) / 1000);
  if (!Number.isFinite(seconds)) throw new Error(`commit date '${date}' is not ISO 8601`);
  return `${name} <${name}@users.noreply.${hostname}> ${seconds} +0000`;
}

/** fast-import takes a path as is unless it starts with `"` or holds a newline: `"a\"b"`. */
function quotePath(path: string): string {
  if (!/^"|[\n\\]/.test(path)) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function mapValues(
  record: Readonly<Record<string, string>>,
  map: (value: string) => string,
): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, map(v)]));
}
