import { describe, expect, it } from 'vitest';
import { github } from '../../../shared/hosts/github.ts';
import { readPageContext } from './page-context.ts';
import { pageRegistry } from './registry.ts';

const LAUNCHER = 'https://launchpod.example';
const PR = 'https://github.com/acme/app/pull/7';

describe('the button’s links carry the backend the user picked in the options', () => {
  const registry = pageRegistry(github, 'https://github.com', true);

  it('sends ?backend= with the editor, and the options link keeps it', () => {
    const context = readPageContext(PR, registry, LAUNCHER, 'code', 'codespaces');
    expect(context?.launchUrl).toBe(`${LAUNCHER}/?editor=code&backend=codespaces#${PR}`);
    expect(context?.optionsUrl).toBe(`${LAUNCHER}/?autostart=false&editor=code&backend=codespaces#${PR}`);
  });

  it('leaves the choice to the launcher’s rules when none is picked', () => {
    expect(readPageContext(PR, registry, LAUNCHER)?.launchUrl).toBe(`${LAUNCHER}/#${PR}`);
  });
});
