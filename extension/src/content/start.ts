// Wires the controller to the extension: on the family's own host, or a granted instance whose page signals its
// family's page piece recognises, it asks the background what the page opens (the
// background reads settings and the anchor table, and runs the shared grammar) and sends it prebuild questions and
// anchor misses. Uses the browser's own promise-based `browser`/`chrome` namespace: no polyfill in pages.

import type { FamilyPage } from '../hosts/family-page.ts';
import { readPageSignals } from '../hosts/page-signals.ts';
import type { ContentMessage, PageAnswer } from '../messages.ts';
import type { PrebuildState } from './button.ts';
import { startController } from './controller.ts';
import type { PageDescription } from './page-context.ts';

interface Runtime {
  sendMessage(message: ContentMessage): Promise<unknown>;
}
// Firefox's `browser` and Chrome's `chrome` both answer with promises in Manifest V3.
const runtime: Runtime = (
  (globalThis as { browser?: { runtime: Runtime } }).browser ??
  (globalThis as unknown as { chrome: { runtime: Runtime } }).chrome
).runtime;

// Answers already had, per page URL: back and forth through a single-page app asks nothing twice.
const MAX_REMEMBERED = 50;

export async function startFamilyScript(script: FamilyPage): Promise<void> {
  const builtin = location.host === script.builtinHost;
  const send = (message: ContentMessage) => runtime.sendMessage(message);
  const ask = (url: string) =>
    send({ type: 'describe-page', family: script.family, url, builtin }) as Promise<PageAnswer | undefined>;
  // Asked as the page starts loading (the script runs at document_start): a background the browser had stopped
  // starts while the page is parsed, and the answer is usually there when the page's own anchors are.
  const answered = ask(location.href);
  answered.catch(() => {});
  await domReady();
  if (!builtin && script.recognises?.(readPageSignals()) !== true) return;
  const first = await answered;
  if (first?.run !== true) return;
  // An answer, or the question still on its way (asked again, it is not sent twice).
  const remembered = new Map<string, PageDescription | undefined | Promise<PageDescription | undefined>>([
    [location.href, first.page],
  ]);
  startController({
    family: script.family,
    describe: (url) => {
      if (remembered.has(url)) return remembered.get(url);
      if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? '');
      const asked = ask(url).then(
        (answer) => {
          remembered.set(url, answer?.page);
          return answer?.page;
        },
        (error: unknown) => {
          remembered.delete(url);
          throw error;
        },
      );
      remembered.set(url, asked);
      return asked;
    },
    newTab: first.newTab,
    shortcut: first.shortcut,
    ...(script.revisionFact && { revisionFact: script.revisionFact }),
    requestPrebuild: async (pageUrl) => {
      const answer = (await send({ type: 'prebuild-status', pageUrl })) as
        | { state?: PrebuildState }
        | undefined;
      return answer?.state;
    },
    recordMiss: (kind, page) =>
      void send({ type: 'anchor-miss', family: script.family, kind, page }).catch(() => {}),
    openOptions: () => void send({ type: 'open-options' }).catch(() => {}),
  });
}

/** Resolves once the document is parsed (at once when it already is): anchors, title and meta are read then. */
function domReady(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) =>
    document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }),
  );
}
