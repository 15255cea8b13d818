// Reading a request the way the fake hosts all do: a path segment decoded leniently, a bearer token.

/** `decodeURIComponent`, keeping a segment that is not valid percent-encoding as it is (hosts answer 404, not 500). */
export function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The bearer token, `undefined` when there is no Authorization header, `null` when it is not a bearer one. */
export function bearer(header: string | null): string | undefined | null {
  if (header === null) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}
