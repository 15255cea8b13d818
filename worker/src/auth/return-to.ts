// Where a sign-in lands afterwards: always a path on the launcher itself, never another origin. Judged on the path
// a browser will follow — after dot segments fold (`/.//evil.example/` is `//evil.example/`) — not on the raw
// text. Refuses protocol-relative (`//evil.example`), backslash (`/\evil.example`, which browsers read as `//`),
// absolute URLs and control characters; anything refused becomes `/`.

/** `/https://github.com/o/r?autostart=false` → itself; `https://evil.example/`, `//evil`, `/.//evil` → `/`. */
export function safeReturnTo(candidate: string | undefined, launcherOrigin: string): string {
  if (candidate === undefined || candidate === '' || candidate.length > 2048) return '/';
  if (!isLauncherPath(candidate, launcherOrigin)) return '/';
  const url = new URL(candidate, launcherOrigin);
  // Sign-in pages themselves are no place to land (a loop).
  if (url.pathname.startsWith('/auth/')) return '/';
  const normalised = url.pathname + url.search;
  // The normalised text is what goes into Location: it must pass the same test as the input did.
  return isLauncherPath(normalised, launcherOrigin) ? normalised : '/';
}

/**
 * Whether a browser following `path` from any launcher page stays on the launcher: one leading `/`, no `//` or
 * `/\` start (an authority), no backslash or control character, and resolving it keeps the launcher's origin.
 */
export function isLauncherPath(path: string, launcherOrigin: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(path)) return false;
  try {
    return new URL(path, launcherOrigin).origin === new URL(launcherOrigin).origin;
  } catch {
    return false;
  }
}
