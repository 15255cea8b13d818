// Test harness bundled into fixture pages by the unit tests: the content script's controller with stand-ins for
// the browser APIs and the background's page reading (no extension needed), exposed as `globalThis.launchpodHarness`.

import { hostFamilies } from '../../shared/host-registry.ts';
import { HOST_FAMILY_IDS } from '../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import type { PrebuildState } from '../src/content/button.ts';
import { type Controller, startController } from '../src/content/controller.ts';
import { readPageContext } from '../src/content/page-context.ts';
import { pageRegistry } from '../src/content/registry.ts';
import { type AnchorTable, candidatesFor } from '../src/hosts/anchor-table.ts';
import { bundledAnchorTable } from '../src/hosts/bundled.ts';
import { familyPages } from '../src/hosts/family-pages.ts';
import { readPageSignals } from '../src/hosts/page-signals.ts';

export interface HarnessOptions {
  readonly family: HostFamilyId;
  readonly launcher: string;
  readonly prebuild?: PrebuildState;
  readonly table?: AnchorTable;
  /** The sub-path of a self-hosted instance (`/git`). */
  readonly basePath?: string;
}

const misses: string[] = [];
const asked: string[] = [];
let controller: Controller | undefined;

(globalThis as Record<string, unknown>).launchpodHarness = {
  start(options: HarnessOptions) {
    const family = hostFamilies[options.family];
    const page = familyPages[options.family];
    const registry = pageRegistry(
      family,
      location.origin,
      location.host === page.builtinHost,
      options.basePath ?? '',
    );
    const table = options.table ?? bundledAnchorTable;
    controller = startController({
      family: family.id,
      // What the background answers the content script, read here at once: the grammar and the table.
      describe: (url) => {
        asked.push(url);
        const context = readPageContext(url, registry, options.launcher, '');
        return context && { ...context, candidates: candidatesFor(table, family.id, context.kind) };
      },
      newTab: false,
      shortcut: 'Alt+G',
      ...(page.revisionFact !== undefined && { revisionFact: page.revisionFact }),
      requestPrebuild: async () => options.prebuild,
      recordMiss: (kind, page) => misses.push(`${kind} ${page}`),
      openOptions: () => {},
    });
  },
  check: () => controller?.check(),
  /** The families whose page piece recognises this page from its signals (what a granted site's script asks). */
  detect: () => {
    const signals = readPageSignals();
    return HOST_FAMILY_IDS.filter((f) => familyPages[f].recognises?.(signals) === true);
  },
  misses: () => [...misses],
  /** Every page URL the controller asked about, in order. */
  asked: () => [...asked],
};
