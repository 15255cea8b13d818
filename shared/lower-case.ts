// Lower-casing for the grammar's hot path: the same result as `toLowerCase()`, without the call (which costs more
// than a scan of a short name) when there is nothing to lower — plain ASCII without A–Z, as almost every host name,
// owner and scheme is. Never changes what is compared, only how often the built-in runs.

/** `text.toLowerCase()`: `GitHub.com` → `github.com`; `github.com` comes back as it is, with no new string. */
export function lowerCase(text: string): string {
  return needsLowering(text, 0, text.length) ? text.toLowerCase() : text;
}

/** `text.slice(start, end).toLowerCase()`, with one new string at most. */
export function lowerSlice(text: string, start: number, end: number): string {
  const slice = text.slice(start, end);
  return needsLowering(text, start, end) ? slice.toLowerCase() : slice;
}

// A–Z, or anything outside ASCII (`İ`, `Σ`: left to toLowerCase's Unicode rules).
function needsLowering(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return true;
  }
  return false;
}
