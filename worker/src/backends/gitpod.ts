// A self-hosted Gitpod (Classic) install: `<install>/#<context URL>` opens any context Gitpod understands (repository,
// branch, commit, pull request, issue, file), reading `.gitpod.yml`. No API start: its users sign in there.

import type { BackendAdapter } from './backend.ts';
import { contextPhrase } from './backend.ts';

export const gitpodBackend: BackendAdapter = {
  kind: 'gitpod',
  defaultDisplayName: 'Gitpod',
  plan(config, { resolved }) {
    return {
      backend: config.name,
      kind: 'gitpod',
      displayName: config.displayName,
      opens: contextPhrase(resolved),
      cannot: [],
      handoffUrl: `${config.url}/#${resolved.webUrl}`,
      apiStart: false,
    };
  },
};
