// What each host family's page piece provides to the extension: its name in the options, its built-in host, how a
// self-hosted page of it is recognised (from page signals, never from a host name's look), and the facts its URL
// lacks that the page states. Pure; one module per family (hosts/<family>-page.ts), registered in family-pages.ts.

import type { HostFamilyId } from '../../../shared/launch-request.ts';
import type { PageSignals } from './page-signals.ts';

export interface FamilyPage {
  readonly family: HostFamilyId;
  /** "Bitbucket Server / Data Center", as the options page lists it. */
  readonly label: string;
  /** The public host the family's content script is declared for in the manifest (`github.com`), if any. */
  readonly builtinHost?: string;
  /** True when a page's signals say this family serves it; absent for a family that is never self-hosted. */
  readonly recognises?: (signals: PageSignals) => boolean;
  /** Where the instance lives below its origin when the page says so (Gitea's `appSubUrl`: `/git`). */
  readonly basePath?: (signals: PageSignals) => string | undefined;
  /** A query parameter the page's URL lacks but its DOM states (Bitbucket Server's selected branch). */
  readonly revisionFact?: (url: URL, doc: Document) => [string, string] | undefined;
}
