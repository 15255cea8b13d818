// Behaviour of the dot-segment check the mutation run (docs/mutation-testing.md) found unasserted: a snapshot names
// no repository, branch or path, so it has nothing to refuse.
import { describe, expect, it } from 'vitest';
import { refuseDotSegments } from './dot-segments.ts';

describe('refuseDotSegments', () => {
  it('passes a snapshot through, whatever its id', () => {
    const parsed = { context: { kind: 'snapshot', id: '..' }, alternatives: [] } as const;
    expect(refuseDotSegments(parsed)).toStrictEqual({ ok: true, value: parsed });
  });
});
