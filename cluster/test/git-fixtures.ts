// Small local git repositories for the cluster's tests: made in a temp dir with git itself, with a fixed identity
// and no user or system configuration. Never touches anything outside the temp dirs it creates.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: tmpdir(),
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.test',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.test',
};

/** Runs git as the tests' own user; checkouts now belong to workspace uids, which git would otherwise refuse. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'safe.directory=*', ...args], {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
  }).trim();
}

const made: string[] = [];

/** A fresh temp dir, removed by `removeTempDirs`. */
export function tempDir(prefix = 'launchpod-cluster-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Where test repositories appear to live. The cluster refuses `file:` clone URLs, so a git rewrite (the config file
 * `fixtureGitConfig` writes, like an operator's mirror rule) maps this origin onto the temp dirs.
 */
export const FIXTURE_GIT_ORIGIN = 'https://git.fixtures.test';

/** A git config file mapping FIXTURE_GIT_ORIGIN to local paths, for the cluster's `gitConfigFile` / `--git-config`. */
export function fixtureGitConfig(): string {
  const file = join(tempDir('launchpod-gitconfig-'), 'gitconfig');
  writeFileSync(file, `[url "file://"]\n\tinsteadOf = ${FIXTURE_GIT_ORIGIN}\n`);
  return file;
}

/** The clone URL of a local repository, as the cluster is given it. */
export const fixtureUrl = (dir: string): string => `${FIXTURE_GIT_ORIGIN}${dir}`;

export interface TestRepo {
  readonly dir: string;
  readonly url: string;
  /** Commits the files on the current branch and answers the new commit's sha. */
  commit(files: Record<string, string>, message?: string): string;
  git(...args: string[]): string;
}

/** A repository at `<parent>/<name>` on branch `main` with one commit (`README.md`). */
export function makeRepo(parent: string, name = 'app'): TestRepo {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch=main');
  const repo: TestRepo = {
    dir,
    url: fixtureUrl(dir),
    git: (...args) => git(dir, ...args),
    commit(files, message = 'change') {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      git(dir, 'add', '--all');
      git(dir, 'commit', '--quiet', '--message', message);
      return git(dir, 'rev-parse', 'HEAD');
    },
  };
  repo.commit({ 'README.md': `# ${name}\n` }, 'initial');
  return repo;
}
