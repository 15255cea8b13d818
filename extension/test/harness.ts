// Test harness bundled into fixture pages by the unit tests: the content script's controller with stand-ins for
// the browser APIs (no extension needed), exposed as `globalThis.launchpodHarness`.

import { bitbucketCloud } from '../../shared/hosts/bitbucket-cloud.ts';
import { bitbucketServer } from '../../shared/hosts/bitbucket-server.ts';
import { github } from '../../shared/hosts/github.ts';
import { gitlab } from '../../shared/hosts/gitlab.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import type { PrebuildState } from '../src/content/button.ts';
import { type Controller, startController } from '../src/content/controller.ts';
import { pageRegistry } from '../src/content/registry.ts';
import type { AnchorTable } from '../src/hosts/anchor-table.ts';
import { selectedRevisionQuery } from '../src/hosts/bitbucket-server.ts';
import { bundledAnchorTable } from '../src/hosts/bundled.ts';

const families = { github, gitlab, 'bitbucket-cloud': bitbucketCloud, 'bitbucket-server': bitbucketServer };

export interface HarnessOptions {
  readonly family: HostFamilyId;
  readonly launcher: string;
  readonly prebuild?: PrebuildState;
  readonly table?: AnchorTable;
}

const misses: string[] = [];
let controller: Controller | undefined;

(globalThis as Record<string, unknown>).launchpodHarness = {
  start(options: HarnessOptions) {
    const family = families[options.family];
    controller = startController({
      family,
      registry: pageRegistry(family, location.origin, family.id !== 'bitbucket-server'),
      table: options.table ?? bundledAnchorTable,
      launcher: options.launcher,
      editor: '',
      newTab: false,
      shortcut: 'Alt+G',
      ...(family.id === 'bitbucket-server' && { revisionFact: selectedRevisionQuery }),
      requestPrebuild: async () => options.prebuild,
      recordMiss: (kind, page) => misses.push(`${kind} ${page}`),
      openOptions: () => {},
    });
  },
  check: () => controller?.check(),
  misses: () => [...misses],
};
