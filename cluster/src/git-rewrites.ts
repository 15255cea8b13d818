// Writes the git-config file the cluster hands git as GIT_CONFIG_GLOBAL: `url.<base>.insteadOf` rules that point
// a host's URLs at another server (a local mirror, a test git server) while requests keep the host's URLs.
// Never writes anything but these rules, and never a half-written file.

import { renameSync, writeFileSync } from 'node:fs';
import { err, ok, type Result } from '../../shared/result.ts';

export interface GitRewriteRule {
  /** What git fetches from instead, e.g. `file:///srv/git/`. */
  readonly base: string;
  /** The URL prefix requests use, e.g. `https://github.com/`. */
  readonly insteadOf: string;
}

// git-config quoting: inside double quotes only `\` and `"` need escaping; a newline cannot be written at all.
const quote = (text: string) => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** Replaces `file` with one `[url "<base>"] insteadOf = <prefix>` section per rule, in order. */
export function writeGitRewrites(file: string, rules: readonly GitRewriteRule[]): Result<void, string> {
  const lines = ['# Written by the Launchpod cluster: URL rewrites git applies to every fetch and clone.'];
  for (const [i, rule] of rules.entries()) {
    for (const [field, value] of [
      ['base', rule.base],
      ['insteadOf', rule.insteadOf],
    ] as const) {
      if (value === '' || /[\n\r\0]/.test(value))
        return err(`Rewrite rule ${i + 1}: ${field} must be a non-empty URL prefix on one line.`);
    }
    lines.push(`[url ${quote(rule.base)}]`, `\tinsteadOf = ${quote(rule.insteadOf)}`);
  }
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${lines.join('\n')}\n`, { mode: 0o644 });
    renameSync(temp, file);
  } catch (cause) {
    return err(`Could not write ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  return ok(undefined);
}
