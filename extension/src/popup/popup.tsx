// The toolbar popup: the current tab's context as the extension reads it and an Open button, or why this page
// cannot be opened — and, on a self-hosted instance, "Enable on this site" for exactly that origin, at its root or
// at the sub-path the page itself states (Gitea's `appSubUrl`; other hosts' pages do not say: the options page
// takes a base path).

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { HOST_FAMILY_IDS } from '../../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { familyPages } from '../hosts/family-pages.ts';
import { type PageSignals, readPageSignals } from '../hosts/page-signals.ts';

type Answer = { ok: true; url: string } | { ok: false; message: string };

function Popup() {
  const [page, setPage] = useState<string>();
  const [answer, setAnswer] = useState<Answer>();
  const [family, setFamily] = useState<HostFamilyId>();
  const [basePath, setBasePath] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const url = tab?.url ?? '';
      setPage(url);
      if (url === '') {
        setAnswer({ ok: false, message: 'Launchpod cannot see this tab’s address.' });
        return;
      }
      setAnswer((await browser.runtime.sendMessage({ type: 'launch-url', input: url })) as Answer);
      // activeTab lets the popup read this page's application-name meta: is it a self-hosted git host?
      if (tab?.id !== undefined && /^https?:/.test(url)) {
        const [result] = await browser.scripting
          .executeScript({
            target: { tabId: tab.id },
            // The same signals the content scripts' family pieces recognise (extension/src/hosts/<family>-page.ts).
            func: readPageSignals,
          })
          .catch(() => []);
        const signals = result?.result as PageSignals | undefined;
        const detected =
          signals === undefined
            ? undefined
            : HOST_FAMILY_IDS.find((f) => familyPages[f].recognises?.(signals) === true);
        if (detected) {
          setFamily(detected);
          if (signals !== undefined) setBasePath(familyPages[detected].basePath?.(signals) ?? '');
        }
      }
    })();
  }, []);

  const enable = async () => {
    if (page === undefined || family === undefined) return;
    const origin = new URL(page).origin;
    // Both sent inside the click's own handler, before any await: Firefox grants a request only there, and may
    // close the popup while its prompt is up — the background saves the site and registers the content script
    // when the grant arrives (permissions.onAdded).
    void browser.runtime.sendMessage({ type: 'add-self-hosted', origin, family, basePath }).catch(() => {});
    const asking = browser.permissions.request({ origins: [`${origin}/*`] }).catch(() => false);
    const granted = await asking;
    setNote(granted ? `Enabled on ${origin}: reload the page.` : `${origin} was not granted.`);
  };

  if (answer === undefined) return <p>Reading this page…</p>;
  return (
    <main>
      {answer.ok ? (
        <>
          <p>
            Context: <code>{page}</code>
          </p>
          <a class="open" href={answer.url} target="_blank" rel="noopener">
            Open in workspace
          </a>
        </>
      ) : (
        <p role="alert">{answer.message}</p>
      )}
      {!answer.ok && family !== undefined && (
        <p>
          <button type="button" id="enable-site" onClick={enable}>
            Enable on this site
          </button>{' '}
          {note}
        </p>
      )}
      {!answer.ok && family !== undefined && (
        <p>
          Does the instance live under a path, like https://corp.example/gitlab? Add that address in the
          options instead.
        </p>
      )}
      <p>
        <a href="options.html" target="_blank" rel="noopener">
          Options
        </a>
      </p>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Popup />, root);
