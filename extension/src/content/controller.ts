// Keeps exactly one launch button on the page: asks what the page's URL opens and where its button may go (the
// background answers, with the shared grammar and the anchor table; this script carries neither), finds the first
// matching anchor, mounts the button there (or floating when none matches — never on a page the host marks as an
// error or not found), moves it when a better anchor renders later, and follows in-page navigation, asking about a
// link's page as the link is pressed, before the host's router has fetched it. Never does document-wide work on a
// DOM mutation: the observer compares the URL, asks whether the button is still attached and, while it sits at a
// weaker anchor, whether one of the better ones exists now.

import type { HostFamilyId } from '../../../shared/launch-request.ts';
import type { Anchor, AnchorPageKind } from '../hosts/anchor-table.ts';
import { BUTTON_ATTR, createLaunchButton, type LaunchButton, type PrebuildState } from './button.ts';
import { isErrorPage } from './error-page.ts';
import type { PageDescription } from './page-context.ts';

export interface ControllerDeps {
  readonly family: HostFamilyId;
  /**
   * What a page URL opens and the anchors for its kind, or undefined for a page that is not a git context. May
   * answer at once (a URL asked before) or later (the background's answer); the button follows when it comes.
   */
  readonly describe: (pageUrl: string) => PageDescription | undefined | Promise<PageDescription | undefined>;
  readonly newTab: boolean;
  readonly shortcut: string;
  /** Page facts the URL lacks (the Bitbucket Server branch selector): a query parameter to add, or undefined. */
  readonly revisionFact?: (url: URL, doc: Document) => [string, string] | undefined;
  readonly requestPrebuild: (pageUrl: string) => Promise<PrebuildState | undefined>;
  readonly recordMiss: (kind: AnchorPageKind, page: string) => void;
  readonly openOptions: () => void;
}

export interface Controller {
  /** Re-reads the URL and the page now (tests and navigation events). */
  check(): void;
  stop(): void;
}

// The hosts' own navigation events (GitHub Turbo and React soft navigations, old pjax) and the browser's.
const NAVIGATION_EVENTS = [
  'popstate',
  'hashchange',
  'turbo:render',
  'turbo:load',
  'soft-nav:end',
  'soft-nav:react-done',
  'pjax:end',
];

const OWNER_ATTR = 'data-launchpod-owner';

export function startController(deps: ControllerDeps): Controller {
  // A newer copy of the script (extension update, second injection) takes the page over; this one then stops.
  const token = Math.random().toString(36).slice(2);
  document.documentElement.setAttribute(OWNER_ATTR, token);
  const owns = () => document.documentElement.getAttribute(OWNER_ATTR) === token;

  let button: LaunchButton | undefined;
  let placedBy: string | undefined; // selector, or '' when floating
  // The anchors that would rank above the one holding the button (empty at the best one, or floating).
  let better: readonly Anchor[] = [];
  let seenUrl = '';
  let context: PageDescription | undefined;
  let scheduled = false;
  const missed = new Set<string>();

  const remove = () => {
    const host = button?.root.parentElement;
    if (host?.hasAttribute('data-launchpod-wrap')) host.remove();
    else button?.root.remove();
    button = undefined;
    placedBy = undefined;
    better = [];
  };

  const effectiveUrl = (): string => {
    const fact = deps.revisionFact?.(new URL(location.href), document);
    if (fact === undefined) return location.href;
    const url = new URL(location.href);
    url.searchParams.set(fact[0], fact[1]);
    return url.href;
  };

  const adopt = (next: PageDescription | undefined) => {
    const changed = next?.launchUrl !== context?.launchUrl || next?.kind !== context?.kind;
    context = next;
    if (changed) button?.setPrebuild(undefined);
    if (context !== undefined && changed) askPrebuild(context);
  };

  const check = () => {
    scheduled = false;
    if (!owns()) return stop();
    const url = effectiveUrl();
    if (url !== seenUrl) {
      seenUrl = url;
      const described = deps.describe(url);
      if (described instanceof Promise) {
        // Until the answer comes the button stays as it is; an answer for a URL the page has left is dropped.
        described.then(
          (next) => {
            if (seenUrl !== url || !owns()) return;
            adopt(next);
            arrange();
          },
          () => {}, // no answer (the extension was updated or unloaded): nothing changes
        );
        return;
      }
      adopt(described);
    }
    arrange();
  };

  /** The button for the current context: placed at the best anchor present, floating, or gone. */
  const arrange = () => {
    // Strays: a button left by an older copy of the script, or one the host's re-render duplicated.
    for (const stray of document.querySelectorAll(`[${BUTTON_ATTR}]`)) {
      if (stray !== button?.root)
        (stray.parentElement?.hasAttribute('data-launchpod-wrap') ? stray.parentElement : stray).remove();
    }
    if (context === undefined) return remove();
    const candidates = context.candidates;
    const found = findAnchor(candidates);
    // Nothing to open on the host's own "not found" or error page: no floating button, and no miss to record.
    if (found === undefined && isErrorPage(document)) return remove();
    const want = found?.anchor.selector ?? '';
    if (
      button === undefined ||
      !button.root.isConnected ||
      placedBy !== want ||
      (found && !isPlacedAt(found))
    ) {
      remove();
      button = createLaunchButton({
        family: deps.family,
        floating: found === undefined,
        newTab: deps.newTab,
        shortcut: deps.shortcut,
        onNeedsLauncher: deps.openOptions,
      });
      if (found) place(button.root, found.element, found.anchor);
      else document.body.append(button.root);
      placedBy = want;
      better = found === undefined ? [] : candidates.slice(0, candidates.indexOf(found.anchor));
      if (lastPrebuild !== undefined) button.setPrebuild(lastPrebuild.state);
    }
    button.update(context);
    if (found === undefined) {
      const page = location.origin + location.pathname;
      if (!missed.has(`${context.kind} ${page}`)) {
        missed.add(`${context.kind} ${page}`);
        deps.recordMiss(context.kind, page);
      }
    }
  };

  let lastPrebuild: { url: string; state: PrebuildState | undefined } | undefined;
  const askPrebuild = (page: PageDescription) => {
    lastPrebuild = undefined;
    deps.requestPrebuild(page.pageUrl).then(
      (state) => {
        if (context?.pageUrl !== page.pageUrl) return;
        lastPrebuild = { url: page.pageUrl, state };
        button?.setPrebuild(state);
      },
      () => {}, // launcher unreachable: the button simply shows no indicator
    );
  };

  const isPlacedAt = (found: { element: Element; anchor: Anchor }): boolean => {
    const node = button?.root.parentElement?.hasAttribute('data-launchpod-wrap')
      ? button.root.parentElement
      : button?.root;
    if (!node) return false;
    switch (found.anchor.position) {
      case 'before':
        return node.nextElementSibling === found.element;
      case 'after':
        return node.previousElementSibling === found.element;
      default:
        return node.parentElement === found.element;
    }
  };

  // One check per frame at most; setTimeout covers background tabs where frames do not run.
  const nextFrame = (run: () => void) => {
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible')
      requestAnimationFrame(run);
    else setTimeout(run, 16);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    nextFrame(check);
  };
  // At a weaker anchor, the better ones are looked for once a frame, however many mutation batches it brings.
  let looking = false;
  const lookForBetter = () => {
    looking = false;
    if (!scheduled && better.length > 0 && findAnchor(better) !== undefined) check();
  };

  // The Navigation API reports pushState/replaceState itself; without it the observer also compares the URL.
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  const watchUrl = nav === undefined || deps.revisionFact !== undefined;
  // O(1) per mutation batch: an isConnected read (and a URL compare where needed); the anchor search runs only
  // when one fails, and at a weaker anchor the search for the better ones once a frame.
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    if (context !== undefined && (button === undefined || !button.root.isConnected || placedBy === ''))
      schedule();
    else if (watchUrl && (deps.revisionFact === undefined ? location.href : effectiveUrl()) !== seenUrl)
      schedule();
    // At a weaker anchor (the repository header) while the page's own view renders: move once a better one exists.
    else if (better.length > 0 && !looking) {
      looking = true;
      nextFrame(lookForBetter);
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  // A navigation asks about its new URL at once (the answer may come from the background); the DOM work waits for
  // the next frame, as ever, and finds the question already on its way.
  const navigated = () => {
    const url = effectiveUrl();
    if (url !== seenUrl) void deps.describe(url);
    schedule();
  };
  for (const name of NAVIGATION_EVENTS) window.addEventListener(name, navigated);
  document.addEventListener('turbo:render', navigated);
  document.addEventListener('turbo:load', navigated);
  nav?.addEventListener('navigatesuccess', navigated);
  nav?.addEventListener('currententrychange', navigated);
  // A link of this site pressed asks about its page before the host's router has fetched it, so the answer (and a
  // stopped background's start) is at hand when the new view renders its anchor. Captured before the router's
  // own handler, which stops the event; a press that opens another tab or a link to another site asks nothing.
  const pressed = (event: MouseEvent) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!(link instanceof HTMLAnchorElement) || link.origin !== location.origin) return;
    if (link.target !== '' && link.target !== '_self') return;
    if (link.href === seenUrl) return;
    const asked = deps.describe(link.href);
    // A failed question is asked again when the page is there (as any navigation asks); nothing to report now.
    if (asked instanceof Promise) asked.catch(() => {});
  };
  const early = { capture: true, passive: true };
  document.addEventListener('pointerdown', pressed, early);
  // Keyboard activation (Enter on a focused link) comes as a click without a press.
  document.addEventListener('click', pressed, early);

  function stop() {
    observer.disconnect();
    document.removeEventListener('pointerdown', pressed, early);
    document.removeEventListener('click', pressed, early);
    for (const name of NAVIGATION_EVENTS) window.removeEventListener(name, navigated);
    document.removeEventListener('turbo:render', navigated);
    document.removeEventListener('turbo:load', navigated);
    nav?.removeEventListener('navigatesuccess', navigated);
    nav?.removeEventListener('currententrychange', navigated);
  }

  check();
  return { check, stop };
}

function findAnchor(candidates: readonly Anchor[]): { element: Element; anchor: Anchor } | undefined {
  for (const anchor of candidates) {
    let element: Element | null = null;
    try {
      element = document.querySelector(anchor.selector);
    } catch {
      continue; // a selector this browser cannot read (remote table written for a newer engine)
    }
    if (element !== null) return { element, anchor };
  }
  return undefined;
}

function place(root: HTMLElement, element: Element, anchor: Anchor): void {
  let node: HTMLElement = root;
  if (anchor.wrap === 'li') {
    node = document.createElement('li');
    node.setAttribute('data-launchpod-wrap', '');
    node.append(root);
  }
  switch (anchor.position) {
    case 'before':
      element.before(node);
      break;
    case 'after':
      element.after(node);
      break;
    case 'prepend':
      element.prepend(node);
      break;
    case 'append':
      element.append(node);
      break;
  }
}
