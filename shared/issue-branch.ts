// The branch a workspace opened from an issue starts on, by the rule Gitpod users know:
// user `somefox`, issue 42 "Test issue web-extension" → `somefox/test-issue-web-extension-42`.
// Always returns a name git accepts.

const MAX_PREFIX_LENGTH = 30;

export function issueBranchName(userName: string, issueNumber: number, title: string): string {
  // Every character outside a-z splits words, so digits and non-ASCII letters vanish ("Fix #12 café" → fix, caf).
  const words = title
    .toLowerCase()
    .replace(/[^a-z]/g, '-')
    .split('-')
    .filter((w) => w !== '');
  let branch = `${userName.toLowerCase()}/`;
  for (const word of words) {
    if (branch.length > MAX_PREFIX_LENGTH) break;
    branch += `${word}-`;
  }
  branch += String(issueNumber);
  return gitSafeBranchName(branch);
}

// What `git check-ref-format` refuses: control characters, space, ~ ^ : ? * [ \, `@{`, `..`.
// The `[`, `\` and `{` cases are all one class: `a b~c^d:e?f*g[h\i` → `a-b-c-d-e-f-g-h-i`.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what git refuses.
const INVALID_RUN = /[\u0000-\u0020\u007f~^:?*[\\]|@\{|\.\.+/g;

/** Replaces what git refuses in a branch name with `-`, component by component, and strips leading `-`/`+`.
 * Repeats until nothing changes: stripping ` .x` to `.x` exposes a new leading dot. */
export function gitSafeBranchName(name: string): string {
  let current = name;
  for (;;) {
    const next = current
      .replace(INVALID_RUN, '-')
      .split('/')
      .filter((c) => c !== '')
      .map((c) =>
        c
          .replace(/^\./, '-')
          .replace(/(\.lock)+$/, '-')
          .replace(/\.$/, '-'),
      )
      .join('/')
      // One leading `-` or `+` per pass: the loop strips the rest (`--+x` → `x`).
      .replace(/^[-+]/, '');
    if (next === current) break;
    current = next;
  }
  return current === '' || current === '@' ? 'issue' : current;
}
