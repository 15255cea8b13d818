// A page URL → what the button opens, through the shared grammar only (never the page title or other scraped
// text). Undefined for pages that are not a git context: the button is then removed, not disabled. The background
// reads pages (page-description.ts); content scripts import only the types here, never the grammar.

import { parseLaunchInput } from '../../../shared/context-url.ts';
import type { HostRegistry } from '../../../shared/host-registry.ts';
import { type LaunchOptions, toLaunchUrl } from '../../../shared/launch-url.ts';
import type { Anchor, AnchorPageKind } from '../hosts/anchor-table.ts';

export interface PageContext {
  readonly kind: AnchorPageKind;
  /** The page URL as the grammar read it (for the prebuild status request). */
  readonly pageUrl: string;
  /** `<launcher>/#<context>`; undefined when no launcher address is set yet. */
  readonly launchUrl: string | undefined;
  /** The same with `autostart=false`: the launcher shows its options before starting. */
  readonly optionsUrl: string | undefined;
}

/** A page's context and where its button may go: the anchors of its family for its kind, best first. */
export interface PageDescription extends PageContext {
  readonly candidates: readonly Anchor[];
}

export function readPageContext(
  pageUrl: string,
  registry: HostRegistry,
  launcher: string,
  editor = '',
  backend = '',
): PageContext | undefined {
  const parsed = parseLaunchInput(pageUrl, registry);
  if (!parsed.ok) return undefined;
  const { context } = parsed.value;
  let kind: AnchorPageKind;
  if (context.kind === 'pull-request') kind = 'pull';
  else if (context.kind === 'issue') kind = 'issue';
  else if (context.kind === 'repository') kind = context.page;
  else return undefined;
  const base: LaunchOptions = {
    ...(editor !== '' && { editor }),
    ...(backend !== '' && { backend }),
  };
  const link = (options: LaunchOptions) => {
    if (launcher === '') return undefined;
    const url = toLaunchUrl(launcher, parsed.value, registry, options);
    return url.ok ? url.value : undefined;
  };
  return { kind, pageUrl, launchUrl: link(base), optionsUrl: link({ ...base, autostart: false }) };
}
