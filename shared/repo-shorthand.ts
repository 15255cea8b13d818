// `owner/repo` typed where a repository URL is expected (the launcher's box and start link, the extension's omnibox)
// → that GitHub repository's URL, so both accept the same short form. Only that exact shape: a host, a scheme, a
// third segment or a dot in the owner leaves the text as it was, for the URL grammar to read or refuse.

// `octocat/Hello-World`, `my-org/repo.js`: owners as the GitHub grammar reads them (letters, digits and dashes, at
// most 39, never a dot), so `gitlab.com/group` stays a URL without a scheme.
const SHORTHAND = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;

/** `octocat/Hello-World` → `https://github.com/octocat/Hello-World`; anything else unchanged. */
export function expandRepoShorthand(input: string): string {
  const trimmed = input.trim();
  const name = SHORTHAND.exec(trimmed)?.[2];
  if (name === undefined || name === '.' || name === '..') return input;
  return `https://github.com/${trimmed}`;
}
