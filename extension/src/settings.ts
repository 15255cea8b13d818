// The extension's settings and local records, with their defaults: one place that knows the storage keys. Never
// stores a token or page content; the launcher address is the only thing a user must provide.

import browser from 'webextension-polyfill';
import { editorNamed } from '../../shared/editors.ts';
import { HOST_FAMILY_IDS } from '../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import type { AnchorTable } from './hosts/anchor-table.ts';
import { type SelfHostedSite, storedSites } from './self-hosted-site.ts';

export { checkLauncherUrl } from './launcher-address.ts';
export type { SelfHostedSite } from './self-hosted-site.ts';

declare const __LAUNCHER_URL__: string;
/** Set at build time: `LAUNCHER_URL=https://launchpod.example npm run build`. Empty when none was given. */
export const BUILT_IN_LAUNCHER: string = typeof __LAUNCHER_URL__ === 'string' ? __LAUNCHER_URL__ : '';

export interface Settings {
  readonly launcherUrl: string;
  readonly openIn: 'same-tab' | 'new-tab';
  readonly enabled: Readonly<Record<HostFamilyId, boolean>>;
  /** An editor of shared/editors.ts, or '' for the launcher's default. */
  readonly editor: string;
  /**
   * The backend to open on (a name from the launcher's list, like `codespaces` or `coder`), or '' for the launcher's
   * own rules. Sent as `?backend=`; the launcher refuses names it does not have.
   */
  readonly backend: string;
  readonly selfHosted: readonly SelfHostedSite[];
}

export const defaultSettings: Settings = {
  launcherUrl: BUILT_IN_LAUNCHER,
  openIn: 'same-tab',
  enabled: Object.fromEntries(HOST_FAMILY_IDS.map((family) => [family, true])) as Record<
    HostFamilyId,
    boolean
  >,
  editor: '',
  backend: '',
  selfHosted: [],
};

export async function readSettings(): Promise<Settings> {
  const stored = (await browser.storage.sync.get('settings')).settings as Partial<Settings> | undefined;
  return {
    ...defaultSettings,
    ...stored,
    enabled: { ...defaultSettings.enabled, ...stored?.enabled },
    // Older versions offered editors no workspace opens in (IntelliJ, VS Code desktop): those fall back to the default.
    editor: editorNamed(stored?.editor ?? '')?.id ?? '',
    // Sites saved before base paths existed have none: they are at the root of their origin.
    selfHosted: storedSites(stored?.selfHosted),
  };
}

let writing: Promise<unknown> = Promise.resolve();

/**
 * Merges `change` into the stored settings. Writes from one page run one after another, so two quick changes
 * (a checkbox, then a select) never read the same old settings and drop each other.
 */
export function writeSettings(change: Partial<Settings>): Promise<Settings> {
  const write = writing.then(async () => {
    const next = { ...(await readSettings()), ...change };
    await browser.storage.sync.set({ settings: next });
    return next;
  });
  writing = write.catch(() => undefined);
  return write;
}

// ---- Local records (storage.local) -----------------------------------------------------------------------------

export interface AnchorMiss {
  readonly family: HostFamilyId;
  readonly kind: string;
  /** Origin and path only: no query, no fragment. */
  readonly page: string;
  readonly at: number;
}

export interface RemoteTableRecord {
  readonly fetchedAt: number;
  readonly outcome: 'applied' | 'older' | 'malformed' | 'unreachable';
  readonly detail: string;
  readonly revision?: number;
}

export interface LocalRecords {
  readonly anchorTable?: AnchorTable;
  readonly remoteTable?: RemoteTableRecord;
  readonly anchorMisses?: readonly AnchorMiss[];
  readonly shortcut?: string;
}

export const MAX_MISSES = 50;

export async function readLocal(): Promise<LocalRecords> {
  return (await browser.storage.local.get([
    'anchorTable',
    'remoteTable',
    'anchorMisses',
    'shortcut',
  ])) as LocalRecords;
}
