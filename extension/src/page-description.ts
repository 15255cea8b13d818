// What a content script's page opens, read in the background: the shared grammar on the page URL (with the registry
// of the one host serving it), the launch links for the user's launcher, and the anchors for the page's kind from
// the newest valid anchor table. The grammar runs here, loaded once, instead of in every page a host serves. Never
// describes a page for a family the user turned off, or a self-hosted page no listed site of that family serves.

import { hostFamilies } from '../../shared/host-registry.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import { readPageContext } from './content/page-context.ts';
import { pageRegistry } from './content/registry.ts';
import { ANCHOR_FAMILIES, candidatesFor, newerTable, validateAnchorTable } from './hosts/anchor-table.ts';
import { bundledAnchorTable } from './hosts/bundled.ts';
import type { PageAnswer } from './messages.ts';
import { siteFor } from './self-hosted-site.ts';
import type { LocalRecords, Settings } from './settings.ts';

export interface PageQuestion {
  readonly family: HostFamilyId;
  readonly url: string;
  readonly builtin: boolean;
}

const OFF: PageAnswer = { run: false, newTab: false, shortcut: '' };

export function describePage(question: PageQuestion, settings: Settings, local: LocalRecords): PageAnswer {
  const { family, url, builtin } = question;
  if (!ANCHOR_FAMILIES.includes(family) || !settings.enabled[family]) return OFF;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return OFF;
  }
  // A self-hosted page is read under the base path of the listed site serving it (`/gitlab` is not a group); a
  // page no listed site of this family serves (a root script on another site's path) is left alone.
  const site = builtin ? undefined : siteFor(url, settings.selfHosted);
  if (!builtin && site?.family !== family) return OFF;
  const registry = pageRegistry(hostFamilies[family], origin, builtin, site?.basePath ?? '');
  const answer = {
    run: true,
    newTab: settings.openIn === 'new-tab',
    shortcut: local.shortcut ?? 'Alt+G',
  };
  const context = readPageContext(url, registry, settings.launcherUrl, settings.editor, settings.backend);
  if (context === undefined) return answer;
  const remote = local.anchorTable ? validateAnchorTable(local.anchorTable) : undefined;
  const table = newerTable(bundledAnchorTable, remote?.ok ? remote.table : undefined);
  return { ...answer, page: { ...context, candidates: candidatesFor(table, family, context.kind) } };
}
