// Where a sign-in lands afterwards: always a path on the launcher itself, never another origin. Refuses
// protocol-relative (`//evil.example`), backslash (`/\evil.example`, which browsers read as `//`), absolute URLs and
// control characters; anything refused becomes `/`.

/** `/https://github.com/o/r?autostart=false` → itself; `https://evil.example/`, `//evil`, `/\evil` → `/`. */
export function safeReturnTo(candidate: string | undefined, launcherOrigin: string): string {
  if (candidate === undefined || candidate === '' || candidate.length > 2048) return '/';
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.includes('\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return '/';
  let url: URL;
  try {
    url = new URL(candidate, launcherOrigin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(launcherOrigin).origin) return '/';
  // Sign-in pages themselves are no place to land (a loop).
  if (url.pathname.startsWith('/auth/')) return '/';
  return url.pathname + url.search;
}
