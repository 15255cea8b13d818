// The options page (also the first-run page): launcher address, tab behaviour, per-host switches, self-hosted
// instances (at an origin's root or under a path like /gitlab, granted one origin at a time) and diagnostics.
// Never asks for a permission broader than one origin.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { EDITORS } from '../../../shared/editors.ts';
import { HOST_FAMILY_IDS } from '../../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { familyPages } from '../hosts/family-pages.ts';
import { type ConnectionCheck, testLauncherConnection } from '../launcher-connection.ts';
import { checkSiteAddress } from '../self-hosted-registry.ts';
import { originPermission, sameSite, siteAddress } from '../self-hosted-site.ts';
import {
  checkLauncherUrl,
  type LocalRecords,
  readLocal,
  readSettings,
  type SelfHostedSite,
  type Settings,
  writeSettings,
} from '../settings.ts';

const FAMILY_NAMES = Object.fromEntries(HOST_FAMILY_IDS.map((f) => [f, familyPages[f].label])) as Record<
  HostFamilyId,
  string
>;
const SELF_HOSTABLE: HostFamilyId[] = HOST_FAMILY_IDS.filter((f) => familyPages[f].recognises !== undefined);

function Options() {
  const [settings, setSettings] = useState<Settings>();
  const [local, setLocal] = useState<LocalRecords>({});
  const [launcher, setLauncher] = useState('');
  const [message, setMessage] = useState('');
  const [siteText, setSiteText] = useState('');
  const [siteFamily, setSiteFamily] = useState<HostFamilyId>('gitlab');
  const [granted, setGranted] = useState<readonly string[]>([]);
  const [connection, setConnection] = useState<ConnectionCheck | 'testing'>();
  const firstRun = location.hash === '#first-run';
  const hashError = new URLSearchParams(location.hash.slice(1)).get('error');

  useEffect(() => {
    void readSettings().then((s) => {
      setSettings(s);
      setLauncher(s.launcherUrl);
    });
    void readLocal().then(setLocal);
  }, []);
  // Re-read after every action (its message changes): a grant may have been answered meanwhile.
  useEffect(() => {
    void message;
    void browser.permissions.getAll().then((p) => setGranted(p.origins ?? []));
  }, [message]);
  if (settings === undefined) return <p>Loading…</p>;

  const save = async (change: Partial<Settings>, note = 'Saved.') => {
    setSettings(await writeSettings(change));
    setMessage(note);
  };
  const saveLauncher = async (event: Event) => {
    event.preventDefault();
    const checked = checkLauncherUrl(launcher);
    if (!checked.ok) return setMessage(checked.message);
    // Asked before the first await (Firefox refuses it later, see grant); declining still leaves a working
    // setting, saved either way (the launcher allows extension origins).
    void browser.permissions.request({ origins: [`${checked.origin}/*`] }).catch(() => {});
    setLauncher(checked.origin);
    await save({ launcherUrl: checked.origin }, `Saved: buttons now open ${checked.origin}.`);
    await testConnection(checked.origin);
  };
  // The address typed (saved or not): does a launcher answer there?
  const testConnection = async (origin?: string) => {
    const checked = origin === undefined ? checkLauncherUrl(launcher) : { ok: true as const, origin };
    if (!checked.ok) return setConnection({ ok: false, message: checked.message });
    setConnection('testing');
    setConnection(await testLauncherConnection(checked.origin));
  };
  const grant = async (event: Event) => {
    event.preventDefault();
    // `https://corp.example/gitlab/` → https://corp.example under /gitlab.
    const checked = checkSiteAddress(siteText, siteFamily);
    if (!checked.ok) return setMessage(checked.message);
    const { site } = checked;
    // Asked before the first await: Firefox grants a request only inside the click's own handler (after an
    // await it throws "may only be called from a user input handler"). Permissions are per origin, whatever the
    // path. The site is saved while the prompt is up, and the background registers its content script once the
    // origin is granted.
    const asking = browser.permissions.request({ origins: [originPermission(site)] }).catch(() => false);
    const selfHosted = [...settings.selfHosted.filter((s) => !sameSite(s, site)), site];
    await save({ selfHosted }, `Asking for ${site.origin}…`);
    const granted = await asking;
    await browser.runtime.sendMessage({ type: 'self-hosted-changed' });
    setMessage(
      granted
        ? `Enabled on ${siteAddress(site)}.`
        : `${site.origin} was not granted; the button stays off there.`,
    );
    setSiteText('');
  };
  const revoke = async (site: SelfHostedSite) => {
    const rest = settings.selfHosted.filter((s) => !sameSite(s, site));
    // The origin's grant stays while another listed site (`/gitlab` and `/bitbucket` on one origin) or the
    // launcher still needs it.
    if (!rest.some((s) => s.origin === site.origin) && settings.launcherUrl !== site.origin)
      await browser.permissions.remove({ origins: [originPermission(site)] }).catch(() => false);
    await save({ selfHosted: rest }, `Removed ${siteAddress(site)}.`);
    await browser.runtime.sendMessage({ type: 'self-hosted-changed' });
  };
  const refresh = async () => {
    await browser.runtime.sendMessage({ type: 'refresh-anchors', force: true });
    setLocal(await readLocal());
  };

  return (
    <main>
      <h1>Launchpod</h1>
      {firstRun && settings.launcherUrl === '' && (
        <p class="notice" role="status">
          Welcome. Enter the address of your Launchpod launcher to put an “Open in workspace” button on
          repository pages.
        </p>
      )}
      {hashError && (
        <p class="error" role="alert">
          {hashError}
        </p>
      )}
      <form onSubmit={saveLauncher}>
        <label for="launcher">Launcher address</label>
        <input
          id="launcher"
          type="url"
          placeholder="https://launchpod.example"
          value={launcher}
          onInput={(e) => setLauncher((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Save</button>{' '}
        <button type="button" id="test-connection" onClick={() => testConnection()}>
          Test connection
        </button>
      </form>
      <p role="status" id="message">
        {message}
      </p>
      <p
        role="status"
        id="connection"
        class={connection !== 'testing' && connection?.ok === false ? 'error' : ''}
      >
        {connection === 'testing' ? 'Asking the launcher…' : connection?.message}
      </p>

      <h2>Opening</h2>
      <label>
        <input
          type="checkbox"
          id="new-tab"
          checked={settings.openIn === 'new-tab'}
          onChange={(e) => save({ openIn: (e.target as HTMLInputElement).checked ? 'new-tab' : 'same-tab' })}
        />{' '}
        Open workspaces in a new tab
      </label>
      <label for="editor">Default editor</label>
      <select
        id="editor"
        value={settings.editor}
        onChange={(e) => save({ editor: (e.target as HTMLSelectElement).value })}
      >
        <option value="">The launcher’s default</option>
        {EDITORS.map((editor) => (
          <option key={editor.id} value={editor.id}>
            {editor.name}
          </option>
        ))}
      </select>
      <label for="backend">Open on backend</label>
      <input
        id="backend"
        type="text"
        placeholder="the launcher’s rules"
        pattern="[a-z0-9][a-z0-9._\-]{0,63}"
        value={settings.backend}
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          if (input.checkValidity()) void save({ backend: input.value.trim() });
        }}
      />
      <p class="hint">
        A backend your launcher lists (<code>launchpod</code>, <code>codespaces</code>, <code>coder</code>…):
        links open there unless you pick another on the start page. Empty: the launcher’s own rules decide.
      </p>

      <h2>Hosts</h2>
      {(Object.keys(FAMILY_NAMES) as HostFamilyId[]).map((family) => (
        <label key={family}>
          <input
            type="checkbox"
            checked={settings.enabled[family]}
            onChange={(e) =>
              save({ enabled: { ...settings.enabled, [family]: (e.target as HTMLInputElement).checked } })
            }
          />{' '}
          {FAMILY_NAMES[family]}
        </label>
      ))}

      <h2>Self-hosted instances</h2>
      <ul id="self-hosted">
        {settings.selfHosted.map((site) => (
          <li key={siteAddress(site)}>
            {siteAddress(site)} ({FAMILY_NAMES[site.family]})
            {granted.includes(originPermission(site)) ? '' : ' — not granted yet'}{' '}
            <button type="button" onClick={() => revoke(site)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <p>An instance that lives under a path keeps it in its address: https://corp.example/gitlab.</p>
      <form onSubmit={grant}>
        <input
          aria-label="Instance address"
          placeholder="https://git.example.com"
          value={siteText}
          onInput={(e) => setSiteText((e.target as HTMLInputElement).value)}
        />
        <select
          aria-label="Instance kind"
          value={siteFamily}
          onChange={(e) => setSiteFamily((e.target as HTMLSelectElement).value as HostFamilyId)}
        >
          {SELF_HOSTABLE.map((f) => (
            <option key={f} value={f}>
              {FAMILY_NAMES[f]}
            </option>
          ))}
        </select>
        <button type="submit">Enable on this instance</button>
      </form>

      <h2>Diagnostics</h2>
      <p id="remote-table">
        Remote anchor table:{' '}
        {local.remoteTable
          ? `${local.remoteTable.outcome} (${local.remoteTable.detail}) at ${new Date(local.remoteTable.fetchedAt).toISOString()}`
          : 'not fetched yet'}{' '}
        <button type="button" onClick={refresh}>
          Refresh now
        </button>
      </p>
      <h3>Pages where no anchor matched (the floating button was shown)</h3>
      {(local.anchorMisses ?? []).length === 0 ? (
        <p id="no-misses">None so far: every page found its anchor.</p>
      ) : (
        <ul id="misses">
          {(local.anchorMisses ?? []).map((m) => (
            <li key={`${m.kind} ${m.page}`}>
              {new Date(m.at).toISOString()} — {FAMILY_NAMES[m.family]} {m.kind}: {m.page}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Options />, root);
