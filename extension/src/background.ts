// The background script: what each content script's page opens (the shared grammar runs here, not in pages),
// prebuild status and the remote anchor table from the launcher (cached, quiet when the launcher is unreachable),
// anchor-miss records, context menu, shortcut, omnibox and self-hosted content scripts. Never fetches anything but
// the user's launcher, and never runs code it fetched.

import browser, { type Menus, type Runtime, type Tabs } from 'webextension-polyfill';
import { parseLaunchInput } from '../../shared/context-url.ts';
import type { HostRegistry } from '../../shared/host-registry.ts';
import { HOST_FAMILY_IDS, isHostFamilyId } from '../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import { toLaunchUrl } from '../../shared/launch-url.ts';
import { expandRepoShorthand } from '../../shared/repo-shorthand.ts';
import { validateAnchorTable } from './hosts/anchor-table.ts';
import { bundledAnchorTable } from './hosts/bundled.ts';
import { contentScriptFile, familyPages } from './hosts/family-pages.ts';
import type { ContentMessage, PageAnswer } from './messages.ts';
import { describePage } from './page-description.ts';
import { contextSummary, listWorkspaces, type PopupState, workspaceAction } from './popup-state.ts';
import { acceptedSites, selfHostedRegistry } from './self-hosted-registry.ts';
import {
  linkPattern,
  originPermission,
  type SelfHostedSite,
  sameSite,
  scriptId,
  scriptMatch,
} from './self-hosted-site.ts';
import {
  type AnchorMiss,
  type LocalRecords,
  MAX_MISSES,
  type RemoteTableRecord,
  readLocal,
  readSettings,
  type Settings,
  writeSettings,
} from './settings.ts';

export const ANCHOR_REFRESH_MS = 6 * 60 * 60 * 1000;
const STATUS_TTL_MS = 60_000;
const STATUS_FAILURE_TTL_MS = 30_000;
const FETCH_TIMEOUT_MS = 5000;
const MENU_ID = 'open-link-in-workspace';
const BUILTIN_LINK_PATTERNS = HOST_FAMILY_IDS.flatMap((family) => {
  const host = familyPages[family].builtinHost;
  return host === undefined ? [] : [`https://${host}/*/*`];
});

type PrebuildState = 'ready' | 'building' | 'none';
const statusCache = new Map<string, { state: PrebuildState | undefined; until: number }>();

/** The built-ins and the listed self-hosted sites, each under its base path (`https://corp.example/gitlab`). */
function registryFor(settings: Settings, pageUrl?: string): HostRegistry {
  return selfHostedRegistry(settings.selfHosted, pageUrl);
}

async function prebuildStatus(pageUrl: string): Promise<PrebuildState | undefined> {
  const settings = await readSettings();
  if (settings.launcherUrl === '') return undefined;
  void refreshAnchors(settings, false);
  const cached = statusCache.get(pageUrl);
  if (cached && cached.until > Date.now()) return cached.state;
  let state: PrebuildState | undefined;
  let ttl = STATUS_TTL_MS;
  try {
    const response = await fetch(`${settings.launcherUrl}/api/v1/status?url=${encodeURIComponent(pageUrl)}`, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      credentials: 'omit',
    });
    const body = (await response.json()) as { launchable?: unknown; prebuild?: { state?: unknown } };
    const s = body.prebuild?.state;
    state = s === 'ready' || s === 'building' || s === 'none' ? s : undefined;
  } catch {
    ttl = STATUS_FAILURE_TTL_MS; // unreachable or not JSON: no indicator, ask again a little later
  }
  statusCache.set(pageUrl, { state, until: Date.now() + ttl });
  return state;
}

let refreshing: Promise<void> | undefined;
/** Fetches the launcher's anchor table at most every 6 hours; a malformed one is recorded and ignored. */
export function refreshAnchors(settings: Settings, force: boolean): Promise<void> {
  refreshing ??= (async () => {
    const local = await readLocal();
    if (!force && local.remoteTable && Date.now() - local.remoteTable.fetchedAt < ANCHOR_REFRESH_MS) return;
    if (settings.launcherUrl === '') return;
    let record: RemoteTableRecord;
    const fetchedAt = Date.now();
    try {
      const response = await fetch(`${settings.launcherUrl}/api/v1/extension/anchors`, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        credentials: 'omit',
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const checked = validateAnchorTable(await response.json());
      if (!checked.ok) {
        record = { fetchedAt, outcome: 'malformed', detail: checked.error };
      } else if (checked.table.revision < bundledAnchorTable.revision) {
        record = {
          fetchedAt,
          outcome: 'older',
          detail: 'the bundled table is newer',
          revision: checked.table.revision,
        };
      } else {
        await browser.storage.local.set({ anchorTable: checked.table });
        record = { fetchedAt, outcome: 'applied', detail: 'in use', revision: checked.table.revision };
      }
    } catch (error) {
      record = {
        fetchedAt,
        outcome: 'unreachable',
        detail: error instanceof Error ? error.message : String(error),
      };
    }
    await browser.storage.local.set({ remoteTable: record });
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function recordMiss(miss: AnchorMiss): Promise<void> {
  const misses = [...((await readLocal()).anchorMisses ?? [])].filter(
    (m) => !(m.page === miss.page && m.kind === miss.kind),
  );
  misses.unshift(miss);
  await browser.storage.local.set({ anchorMisses: misses.slice(0, MAX_MISSES) });
}

/** Everything the popup shows for the tab at `pageUrl` (see popup-state.ts). */
async function popupState(pageUrl: string): Promise<PopupState> {
  const settings = await readSettings();
  const launch = await launchUrlFor(pageUrl);
  const parsed = parseLaunchInput(pageUrl, registryFor(settings, pageUrl));
  const [prebuild, workspaces] = await Promise.all([
    launch.ok ? prebuildStatus(pageUrl) : Promise.resolve(undefined),
    listWorkspaces(settings.launcherUrl),
  ]);
  return {
    launch,
    ...(parsed.ok && { context: contextSummary(parsed.value) }),
    ...(prebuild !== undefined && { prebuild }),
    workspaces,
  };
}

/** A page URL or `owner/repo` → the launch URL, or an error sentence. */
export async function launchUrlFor(
  input: string,
  options: { autostart?: boolean } = {},
): Promise<{ ok: true; url: string } | { ok: false; message: string }> {
  const settings = await readSettings();
  if (settings.launcherUrl === '')
    return { ok: false, message: 'Set the launcher address in Launchpod’s options first.' };
  const text = expandRepoShorthand(input);
  const registry = registryFor(settings, text);
  const parsed = parseLaunchInput(text, registry);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  const url = toLaunchUrl(settings.launcherUrl, parsed.value, registry, {
    ...(settings.editor !== '' && { editor: settings.editor }),
    ...(settings.backend !== '' && { backend: settings.backend }),
    ...options,
  });
  return url.ok ? { ok: true, url: url.value } : { ok: false, message: url.error.message };
}

async function openLaunch(input: string, tab: Tabs.Tab | undefined, forceNewTab = false): Promise<void> {
  const launch = await launchUrlFor(input);
  if (!launch.ok) {
    await browser.runtime.openOptionsPage();
    return;
  }
  const settings = await readSettings();
  if (settings.openIn === 'same-tab' && !forceNewTab && tab?.id !== undefined)
    await browser.tabs.update(tab.id, { url: launch.url });
  else
    await browser.tabs.create({ url: launch.url, ...(tab?.index !== undefined && { index: tab.index + 1 }) });
}

// ---- Self-hosted instances: content scripts registered per listed site whose origin is granted --------------

let syncing: Promise<string[]> = Promise.resolve([]);

/**
 * Registers one content script per listed self-hosted site whose origin is granted, matching only the site's own
 * base path (`https://corp.example/gitlab/*`): two sites on one origin get one script each. Unregisters those no
 * longer granted or listed, and replaces one whose family or path changed. Calls run one after another: install,
 * permission and settings events can fire together, and two overlapping runs would both register the same script
 * id (which the browser refuses).
 */
export function syncSelfHostedScripts(): Promise<string[]> {
  syncing = syncing.catch(() => []).then(syncOnce);
  return syncing;
}

async function syncOnce(): Promise<string[]> {
  const settings = await readSettings();
  const granted = (await browser.permissions.getAll()).origins ?? [];
  const wanted = acceptedSites(settings.selfHosted)
    .filter((site) => granted.includes(originPermission(site)))
    .map((site) => ({
      id: scriptId(site),
      matches: [scriptMatch(site)],
      js: [contentScriptFile(site.family)],
      // At document_start the script asks the background what the page opens while the page loads (content/start.ts).
      runAt: 'document_start' as const,
    }));
  const existing = await browser.scripting.getRegisteredContentScripts();
  const keep = new Set(
    wanted
      .filter((script) =>
        existing.some(
          (s) =>
            s.id === script.id &&
            s.matches?.join() === script.matches.join() &&
            s.js?.join() === script.js.join() &&
            s.runAt === script.runAt,
        ),
      )
      .map((script) => script.id),
  );
  const stale = existing.filter((s) => s.id.startsWith('self-hosted:') && !keep.has(s.id)).map((s) => s.id);
  if (stale.length > 0) await browser.scripting.unregisterContentScripts({ ids: stale });
  const add = wanted.filter((script) => !keep.has(script.id));
  if (add.length > 0) await browser.scripting.registerContentScripts(add);
  await setupMenus(settings);
  return wanted.map((script) => script.id);
}

async function setupMenus(settings: Settings): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({
    id: MENU_ID,
    title: 'Open link in workspace',
    contexts: ['link'],
    targetUrlPatterns: [...BUILTIN_LINK_PATTERNS, ...acceptedSites(settings.selfHosted).map(linkPattern)],
  });
}

/**
 * Lists a self-hosted site of `origin` (from the popup) at the sub-path its page states (Gitea's `appSubUrl`), else
 * at the root; its script is registered once — or as soon as — the origin is granted.
 */
async function addSelfHosted(origin: string, family: HostFamilyId, basePath = ''): Promise<string[]> {
  if (!isHostFamilyId(family) || !/^https?:\/\/[^/]+$/.test(origin) || new URL(origin).origin !== origin)
    return [];
  if (!/^(\/[A-Za-z0-9._~-]+)*$/.test(basePath)) return [];
  const site: SelfHostedSite = { origin, family, basePath };
  const settings = await readSettings();
  await writeSettings({
    selfHosted: [...settings.selfHosted.filter((s) => !sameSite(s, site)), site],
  });
  return syncSelfHostedScripts();
}

// ---- Wiring -------------------------------------------------------------------------------------------------

// Settings and local records as the last page answer read them, until storage changes: every page load and in-page
// navigation asks, and storage reads are most of an answer's time.
let stored: Promise<[Settings, LocalRecords]> | undefined;
browser.storage.onChanged.addListener(() => {
  stored = undefined;
});

/** A content script's page, read with the shared grammar here (see page-description.ts). */
async function pageAnswer(question: Extract<ContentMessage, { type: 'describe-page' }>): Promise<PageAnswer> {
  stored ??= Promise.all([readSettings(), readLocal()]);
  const [settings, local] = await stored.catch((error: unknown) => {
    stored = undefined;
    throw error;
  });
  return describePage(question, settings, local);
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
  const message = raw as ContentMessage;
  switch (message.type) {
    case 'describe-page':
      return pageAnswer(message);
    case 'prebuild-status':
      return prebuildStatus(message.pageUrl).then((state) => ({ state }));
    case 'anchor-miss':
      return recordMiss({ family: message.family, kind: message.kind, page: message.page, at: Date.now() });
    case 'open-options':
      return browser.runtime.openOptionsPage();
    case 'refresh-anchors':
      return readSettings().then((s) => refreshAnchors(s, message.force === true));
    case 'self-hosted-changed':
      return syncSelfHostedScripts();
    case 'add-self-hosted':
      // Only the extension's own pages may list a site (never a content script on some page).
      if (!sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
      return addSelfHosted(message.origin, message.family, message.basePath);
    case 'launch-url':
      return launchUrlFor(message.input);
    case 'popup-state':
      if (!sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
      return popupState(message.pageUrl);
    case 'workspace-action':
      // The user's workspaces are the extension's pages' business only, never a content script's.
      if (!sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
      return readSettings().then((s) => workspaceAction(s.launcherUrl, message.id, message.action));
    default:
      return undefined;
  }
});

browser.contextMenus.onClicked.addListener((info: Menus.OnClickData, tab?: Tabs.Tab) => {
  if (info.menuItemId === MENU_ID && info.linkUrl) void openLaunch(info.linkUrl, tab, true);
});

browser.commands.onCommand.addListener(async (command: string) => {
  if (command !== 'open-in-workspace') return;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.url) await openLaunch(tab.url, tab);
});

browser.omnibox.setDefaultSuggestion({ description: 'Open in a workspace: a repository URL or owner/repo' });
browser.omnibox.onInputEntered.addListener(async (text: string, disposition) => {
  const launch = await launchUrlFor(text);
  const url = launch.ok
    ? launch.url
    : browser.runtime.getURL(`options.html#error=${encodeURIComponent(launch.message)}`);
  if (disposition === 'currentTab') {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await browser.tabs.update(tab.id, { url });
  } else await browser.tabs.create({ url, active: disposition === 'newForegroundTab' });
});

browser.permissions.onRemoved.addListener(() => void syncSelfHostedScripts());
browser.permissions.onAdded.addListener(() => void syncSelfHostedScripts());

async function storeShortcut(): Promise<void> {
  const commands = await browser.commands.getAll();
  const shortcut = commands.find((c) => c.name === 'open-in-workspace')?.shortcut;
  await browser.storage.local.set({ shortcut: shortcut || 'Alt+G' });
}

browser.runtime.onInstalled.addListener(async (details) => {
  await storeShortcut();
  await syncSelfHostedScripts();
  if (details.reason === 'install' && (await readSettings()).launcherUrl === '')
    await browser.tabs.create({ url: browser.runtime.getURL('options.html#first-run') });
});
browser.runtime.onStartup.addListener(() => {
  void storeShortcut();
  void syncSelfHostedScripts();
});

// Reachable from the service worker's console (and the browser tests): the paths behind the context menu,
// shortcut and omnibox, and the self-hosted registration.
(globalThis as { launchpodBackground?: unknown }).launchpodBackground = {
  launchUrlFor,
  openLaunch,
  popupState,
  syncSelfHostedScripts,
};
