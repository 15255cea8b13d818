// Percent-encoding as people and hosts actually write it. Decoding is lenient (a stray `%` stays literal, never
// throws); encoding always produces something that decodes back to the same text.

const ENCODED_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * False for text holding half of a UTF-16 surrogate pair (`"\ud800"` in a JSON body: no URL, encoder or host can
 * carry it, and `encodeURIComponent` throws on it); true for all other text. The built-in (ES2024: Node 20, Chrome
 * 111, Firefox 119, workerd) answers a one-byte string without reading it, where the lone-surrogate regex it
 * replaces scanned every parse's input.
 */
export const isWellFormedText = (text: string): boolean => (text as WellFormedString).isWellFormed();

// `String.prototype.isWellFormed`, which the ES2023 library shared/ is typed with does not declare yet.
type WellFormedString = string & { isWellFormed(): boolean };

/** Decodes every valid `%XX` run; an invalid or non-UTF-8 run is kept as written ("50%off" stays "50%off"). */
export function decodeLenient(text: string): string {
  if (text.indexOf('%') === -1) return text;
  // When the whole text decodes, every `%` starts a valid UTF-8 run and the result is the same as run by run; the
  // run-by-run replace (a callback per run) is for text with a stray or broken `%`.
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(ENCODED_RUN, decodeRun);
  }
}

// Module-level replacers, not closures made per call (bundlers that keep names wrap each closure they create).
function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run;
  }
}

/** Query values follow the form encoding: `+` is a space. */
export function decodeQueryComponent(text: string): string {
  return decodeLenient(text.indexOf('+') === -1 ? text : text.replaceAll('+', ' '));
}

// Characters RFC 3986 allows raw in a path segment; decoded back after encodeURIComponent so URLs stay readable.
const READABLE_IN_SEGMENT = /%(21|24|27|28|29|2A|2C|3B|3D|3A|40)/g;

/** Encodes one path segment: `feature#1` → `feature%231`, `a b` → `a%20b`, `ü` → `%C3%BC`, `v1.0@x` stays. */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(READABLE_IN_SEGMENT, readableChar);
}

const readableChar = (_: string, hex: string): string => String.fromCharCode(Number.parseInt(hex, 16));

/** Encodes a slash-separated path, each segment on its own: `a b/c#d` → `a%20b/c%23d`. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeSegment).join('/');
}

/** Encodes a query value so `&`, `#`, `+` and `=` survive; keeps `/` readable (`at=refs/heads/x`). */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replaceAll('%2F', '/');
}

/** `a=1&b=two+words&a=3` → Map { a → '3', b → 'two words' } (the last of a repeated name wins, as hosts do). */
export function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  if (query === '') return params;
  // The pairs between `&`s, read with indexOf rather than split (no array per query); empty ones skipped.
  for (let start = 0; start <= query.length; ) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const pair = query.slice(start, end);
    start = end + 1;
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryComponent(eq === -1 ? pair : pair.slice(0, eq));
    params.set(name, eq === -1 ? '' : decodeQueryComponent(pair.slice(eq + 1)));
  }
  return params;
}
