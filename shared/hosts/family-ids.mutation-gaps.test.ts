// The list of host families every layer's registry is keyed by, and the check that a stored or posted value names
// one (docs/mutation-testing.md: nothing in shared/ asserted it).
import { describe, expect, it } from 'vitest';
import { HOST_FAMILY_IDS, isHostFamilyId } from './family-ids.ts';

describe('host family ids', () => {
  it('are the six families, in this order', () => {
    expect(HOST_FAMILY_IDS).toStrictEqual([
      'github',
      'gitlab',
      'bitbucket-cloud',
      'bitbucket-server',
      'gitea',
      'azure-devops',
    ]);
  });

  it.each(HOST_FAMILY_IDS)('%s is one', (id) => {
    expect(isHostFamilyId(id)).toBe(true);
  });

  it.each<unknown>([
    'GitHub',
    'gitlab ',
    '',
    'bitbucket',
    'toString',
    undefined,
    null,
    1,
    ['github'],
    { id: 'github' },
  ])('%j is not one', (value) => {
    expect(isHostFamilyId(value)).toBe(false);
  });
});
