// Refuses `.` and `..` as a segment of any repository name, ref or path a context names. Git refuses them in ref
// names and trees, and a host API URL built from one folds into another path (`repos/a/browse/../../b` is
// `repos/b`) — into another repository, possibly a private one. Never lets such a context reach a resolver.

import type { ParsedContext } from './hosts/host-family.ts';
import type { GitContext, ParseError } from './launch-request.ts';
import { err, ok, type Result } from './result.ts';

/** `a/../b`, `..`, `./x` → true; `a..b`, `.github/x`, `v1.0` → false. A decoded `%2F` is a `/` too. */
export function hasDotSegment(text: string): boolean {
  // Scans for each `.` instead of splitting: most names and refs hold none, and this runs on every parse.
  for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    if (dot !== 0 && text.charCodeAt(dot - 1) !== SLASH) continue;
    const end = text.charCodeAt(dot + 1) === DOT ? dot + 2 : dot + 1;
    if (end === text.length || text.charCodeAt(end) === SLASH) return true;
  }
  return false;
}

const SLASH = 47;
const DOT = 46;

function namesDotSegment(context: GitContext): boolean {
  if (context.kind === 'snapshot') return false;
  if (hasDotSegment(context.repo.owner) || hasDotSegment(context.repo.name)) return true;
  if (context.kind !== 'repository') return false;
  if (context.path !== undefined && hasDotSegment(context.path.path)) return true;
  const { revision } = context;
  switch (revision.type) {
    case 'ref':
      return hasDotSegment(revision.name);
    case 'commit':
      return revision.branch !== undefined && hasDotSegment(revision.branch);
    case 'ambiguous':
      // Every split of a text with a dot segment keeps it in the ref or the path: one is enough to refuse.
      for (const c of revision.candidates) if (hasDotSegment(c.ref) || hasDotSegment(c.path)) return true;
      return false;
    case 'default':
      return false;
  }
}

/** The parsed context unchanged, or an error when it or any alternative reading names a dot segment. */
export function refuseDotSegments(parsed: ParsedContext): Result<ParsedContext, ParseError> {
  if (!namesDotSegment(parsed.context) && !parsed.alternatives.some(namesDotSegment)) return ok(parsed);
  return err({
    code: 'dot-segment',
    message:
      "A '.' or '..' cannot be a part of a repository name, branch or file path (git refuses them too). Open the file or branch from its own page and paste that URL.",
  });
}
