// Wires the controller to the extension: settings and the anchor table from storage, prebuild status and anchor
// misses through the background script. Runs only on the family's own host or a granted instance whose
// `application-name`/`hostname` meta says it is that family, under the base path the user listed it at.

import browser from 'webextension-polyfill';
import type { HostFamily } from '../../../shared/hosts/host-family.ts';
import { type AnchorTable, newerTable, validateAnchorTable } from '../hosts/anchor-table.ts';
import { bundledAnchorTable } from '../hosts/bundled.ts';
import type { ContentMessage } from '../messages.ts';
import { siteFor } from '../self-hosted-site.ts';
import { readLocal, readSettings } from '../settings.ts';
import type { PrebuildState } from './button.ts';
import { startController } from './controller.ts';
import { pageRegistry } from './registry.ts';

export interface FamilyScript {
  readonly family: HostFamily;
  /** The public host this family is built in on (`github.com`), if any. */
  readonly builtinHost?: string;
  /** True when a self-hosted page's meta tags say it is this family. */
  readonly recognises: (doc: Document) => boolean;
  readonly revisionFact?: (url: URL, doc: Document) => [string, string] | undefined;
}

export async function startFamilyScript(script: FamilyScript): Promise<void> {
  const builtin = location.host === script.builtinHost;
  if (!builtin && !script.recognises(document)) return;
  const [settings, local] = await Promise.all([readSettings(), readLocal()]);
  if (!settings.enabled[script.family.id]) return;
  // A self-hosted page is read under the base path of the listed site serving it (`/gitlab` is not a group);
  // a page no listed site of this family serves (a root script on another site's path) is left alone.
  const site = builtin ? undefined : siteFor(location.href, settings.selfHosted);
  if (!builtin && site?.family !== script.family.id) return;
  const remote = local.anchorTable ? validateAnchorTable(local.anchorTable) : undefined;
  const table: AnchorTable = newerTable(bundledAnchorTable, remote?.ok ? remote.table : undefined);
  const send = (message: ContentMessage) => browser.runtime.sendMessage(message);
  startController({
    family: script.family,
    registry: pageRegistry(script.family, location.origin, builtin, site?.basePath ?? ''),
    table,
    launcher: settings.launcherUrl,
    editor: settings.editor,
    newTab: settings.openIn === 'new-tab',
    shortcut: local.shortcut ?? 'Alt+G',
    ...(script.revisionFact && { revisionFact: script.revisionFact }),
    requestPrebuild: async (pageUrl) => {
      const answer = (await send({ type: 'prebuild-status', pageUrl })) as
        | { state?: PrebuildState }
        | undefined;
      return answer?.state;
    },
    recordMiss: (kind, page) =>
      void send({ type: 'anchor-miss', family: script.family.id, kind, page }).catch(() => {}),
    openOptions: () => void send({ type: 'open-options' }).catch(() => {}),
  });
}

/** `<meta name="application-name" content="GitLab">` and friends. */
export const metaContent = (doc: Document, name: string): string | undefined =>
  doc.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? undefined;

/** `<meta property="og:site_name" content="GitLab">` — what GitLab pages (gitlab.com and self-managed) carry. */
export const metaProperty = (doc: Document, property: string): string | undefined =>
  doc.querySelector(`meta[property="${property}"]`)?.getAttribute('content') ?? undefined;
