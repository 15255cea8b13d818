// Every fixture page gets exactly one button at the expected place with the expected link; foreign pages none;
// an unknown layout on a supported URL the floating button and a recorded miss. Runs the content script's
// controller in Chromium (the machine has no DOM library for Node).

import { build } from 'esbuild';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, fixtureHtml, serveFixtures } from './browser.ts';
import { fixtureCases, LAUNCHER } from './fixture-cases.ts';

let browser: Browser;
let context: BrowserContext;
let harness: string;

beforeAll(async () => {
  const bundled = await build({
    entryPoints: [new URL('./harness.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'chrome120',
  });
  harness = bundled.outputFiles[0]?.text ?? '';
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ javaScriptEnabled: true });
  const pages = new Map(fixtureCases.map((c) => [c.url.split('#')[0] ?? '', c.file]));
  await serveFixtures(context, pages);
  await context.addInitScript({ content: harness });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function open(url: string, family: string, extra: Record<string, unknown> = {}): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.evaluate(
    ([family, launcher, extra]) =>
      (window as unknown as { launchpodHarness: { start(o: unknown): void } }).launchpodHarness.start({
        family,
        launcher,
        ...(extra as object),
      }),
    [family, LAUNCHER, extra] as const,
  );
  return page;
}

/** Where the button is: how many, its link, whether it floats, and whether it sits in or beside `near`. */
function buttonFacts(page: Page, near: string | undefined) {
  return page.evaluate((near) => {
    const buttons = document.querySelectorAll('[data-launchpod-button]');
    const button = buttons[0] as HTMLElement | undefined;
    const node = button?.parentElement?.hasAttribute('data-launchpod-wrap') ? button.parentElement : button;
    const target = near ? document.querySelector(near) : null;
    const placed =
      node !== undefined &&
      node !== null &&
      target !== null &&
      (target.contains(node) || node.nextElementSibling === target || node.previousElementSibling === target);
    return {
      count: buttons.length,
      href: button?.querySelector('a.lp-main')?.getAttribute('href') ?? null,
      floating: button?.classList.contains('lp-floating') ?? false,
      placed,
      label: button?.querySelector('a.lp-main')?.getAttribute('aria-label') ?? null,
    };
  }, near);
}

describe('fixture pages', () => {
  for (const c of fixtureCases) {
    const name = `${c.file} at ${c.url}`;
    it(
      c.context === undefined
        ? `${name}: no button`
        : `${name}: one button${c.floating ? ' (floating)' : ''}`,
      async () => {
        const page = await open(c.url, c.family, c.basePath === undefined ? {} : { basePath: c.basePath });
        const facts = await buttonFacts(page, c.near);
        if (c.context === undefined) {
          expect(facts.count).toBe(0);
        } else {
          expect(facts.count).toBe(1);
          expect(facts.href).toBe(`${LAUNCHER}/#${c.context}`);
          expect(facts.floating).toBe(c.floating === true);
          if (c.near) expect(facts.placed, `button in or beside ${c.near}`).toBe(true);
          expect(facts.label).toContain('Alt+G');
        }
        await page.close();
      },
    );
  }
});

describe('behaviour', () => {
  it('records a miss when the floating button stands in for an anchor', async () => {
    const page = await open('https://github.com/o/r', 'github');
    const misses = await page.evaluate(() =>
      (window as unknown as { launchpodHarness: { misses(): string[] } }).launchpodHarness.misses(),
    );
    expect(misses).toEqual(['repo https://github.com/o/r']);
    await page.close();
  });

  it('moves from floating to the anchor when the host renders it late, keeping one button', async () => {
    const page = await open('https://github.com/o/r', 'github');
    await page.evaluate(() => {
      const ul = document.createElement('ul');
      ul.className = 'pagehead-actions';
      document.body.prepend(ul);
    });
    await page.waitForFunction(
      () => document.querySelector('ul.pagehead-actions [data-launchpod-button]') !== null,
    );
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
    await page.close();
  });

  it('moves from the repository header to the file view when GitHub renders it after the button was placed', async () => {
    const page = await open('https://github.com/o/r/blob/main/src/app.ts', 'github');
    await page.waitForFunction(
      () => document.querySelector('#repository-container-header [data-launchpod-button]') !== null,
    );
    await page.evaluate(() => {
      const actions = document.createElement('div');
      actions.innerHTML = '<button data-testid="raw-button">Raw</button><button>Copy</button>';
      document.getElementById('file-view')?.append(actions);
    });
    await page.waitForFunction(
      () =>
        document
          .querySelector('div:has(> [data-testid="raw-button"])')
          ?.previousElementSibling?.hasAttribute('data-launchpod-button') === true,
    );
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
    expect(await page.locator('#repository-container-header [data-launchpod-button]').count()).toBe(0);
    await page.close();
  });

  it('at a weaker anchor, looks for the better ones once a frame, not once a mutation batch', async () => {
    const page = await open('https://github.com/o/r/blob/main/src/app.ts', 'github');
    await page.waitForFunction(
      () => document.querySelector('#repository-container-header [data-launchpod-button]') !== null,
    );
    const searches = await page.evaluate(async () => {
      const box = document.createElement('div');
      document.body.append(box);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      let count = 0;
      const querySelector = Document.prototype.querySelector;
      Document.prototype.querySelector = function (this: Document, selector: string) {
        count++;
        return querySelector.call(this, selector);
      } as typeof querySelector;
      // 300 separate mutation batches in one task (each awaited microtask delivers its own observer callback).
      for (let i = 0; i < 300; i++) {
        box.append(document.createElement('span'));
        await Promise.resolve();
      }
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      Document.prototype.querySelector = querySelector;
      return count;
    });
    // One look a frame (a few frames at most); a look per batch would be 300 times the better anchors' count.
    expect(searches).toBeGreaterThan(0);
    expect(searches).toBeLessThan(30);
    expect(await page.locator('#repository-container-header [data-launchpod-button]').count()).toBe(1);
    await page.close();
  });

  it('takes a floating button away when the host renders its own "not found" page in place', async () => {
    const page = await open('https://github.com/o/r', 'github');
    await page.waitForFunction(() => document.querySelector('[data-launchpod-button].lp-floating') !== null);
    // The host's single-page app swaps its content for its own error view, leaving the button where it was.
    await page.evaluate(() => {
      document.title = 'Repository not found';
      const button = document.querySelector('[data-launchpod-button]');
      document.body.innerHTML = '<main><h1>Repository not found</h1></main>';
      if (button !== null) document.body.append(button);
    });
    await page.waitForFunction(() => document.querySelector('[data-launchpod-button]') === null);
    // And it stays away, whatever the controller re-reads.
    const count = await page.evaluate(() => {
      (window as unknown as { launchpodHarness: { check(): void } }).launchpodHarness.check();
      return document.querySelectorAll('[data-launchpod-button]').length;
    });
    expect(count).toBe(0);
    await page.close();
  });

  it('shows no floating button on a page the host served with an error status', async () => {
    const page = await context.newPage();
    await page.goto('https://github.com/o/r', { waitUntil: 'domcontentloaded' });
    const count = await page.evaluate(
      ([family, launcher]) => {
        // The document's own HTTP status, as Chromium reports it for a 404 page with a neutral title.
        const original = performance.getEntriesByType.bind(performance);
        performance.getEntriesByType = ((type: string) =>
          type === 'navigation'
            ? [{ name: location.href, responseStatus: 404 } as unknown as PerformanceEntry]
            : original(type)) as typeof performance.getEntriesByType;
        (window as unknown as { launchpodHarness: { start(o: unknown): void } }).launchpodHarness.start({
          family,
          launcher,
        });
        return document.querySelectorAll('[data-launchpod-button]').length;
      },
      ['github', LAUNCHER] as const,
    );
    expect(count).toBe(0);
    await page.close();
  });

  it('follows pushState, replaceState and popstate with exactly one correct button, and leaves non-context pages', async () => {
    const page = await open('https://github.com/o/r/tree/dev/src', 'github');
    const href = () => page.locator('[data-launchpod-button] a.lp-main').getAttribute('href');
    expect(await href()).toBe(`${LAUNCHER}/#https://github.com/o/r/tree/dev/src`);
    await page.evaluate(() => history.pushState({}, '', '/o/r/pull/9/files'));
    await page.waitForFunction(
      () => document.querySelector('[data-launchpod-button]')?.getAttribute('data-kind') === 'pull',
    );
    expect(await href()).toBe(`${LAUNCHER}/#https://github.com/o/r/pull/9/files`);
    await page.evaluate(() => history.replaceState({}, '', '/o/r/blob/main/a.ts#L2-L4'));
    await page.waitForFunction(
      () => document.querySelector('[data-launchpod-button]')?.getAttribute('data-kind') === 'blob',
    );
    expect(await href()).toBe(`${LAUNCHER}/#https://github.com/o/r/blob/main/a.ts#L2-L4`);
    await page.evaluate(() => history.pushState({}, '', '/settings/profile'));
    await page.waitForFunction(() => document.querySelector('[data-launchpod-button]') === null);
    await page.goBack();
    await page.waitForFunction(
      () => document.querySelector('[data-launchpod-button]')?.getAttribute('data-kind') === 'blob',
    );
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
    await page.close();
  });

  it("asks about a pressed link's page before the host's router navigates, and only for links it may open here", async () => {
    const page = await open('https://github.com/o/r', 'github');
    await page.evaluate(() => {
      const links = [
        ['pull', '/o/r/pull/12'],
        ['foreign', 'https://example.com/o/r/pull/13'],
        ['blank', '/o/r/pull/14'],
        ['right', '/o/r/pull/15'],
        ['keyboard', '/o/r/issues/16'],
        ['hotkey', '/o/r/pull/17'],
      ];
      for (const [id, href] of links) {
        const link = document.createElement('a');
        link.id = id ?? '';
        link.href = href ?? '';
        link.innerHTML = '<span>link</span>';
        if (id === 'blank') link.target = '_blank';
        document.body.append(link);
      }
      // The host's router: it takes every click and shows nothing yet (its fetch still on the way).
      document.addEventListener('click', (event) => event.preventDefault());
    });
    const asked = () =>
      page.evaluate(() =>
        (window as unknown as { launchpodHarness: { asked(): string[] } }).launchpodHarness.asked(),
      );
    const before = (await asked()).length;
    await page.locator('#pull span').click();
    await page.locator('#foreign').click();
    await page.locator('#blank').click();
    await page.locator('#right').click({ button: 'right' });
    await page.locator('#pull').click({ modifiers: ['Control'] });
    await page.locator('#keyboard').focus();
    await page.keyboard.press('Enter');
    // A host's shortcut that clicks a link (GitHub's `data-hotkey`): a click with no press.
    await page.evaluate(() => document.getElementById('hotkey')?.click());
    expect(page.url()).toBe('https://github.com/o/r');
    expect((await asked()).slice(before)).toEqual([
      // the press and then its click: the content script remembers the answer, so the background hears it once
      'https://github.com/o/r/pull/12',
      'https://github.com/o/r/pull/12',
      'https://github.com/o/r/issues/16',
      'https://github.com/o/r/pull/17',
    ]);
    await page.close();
  });

  it('re-mounts once when the host re-renders the anchor (Turbo frame swap)', async () => {
    const page = await open('https://github.com/o/r/tree/dev/src', 'github');
    await page.evaluate(() => {
      const frame = document.getElementById('repo-content-turbo-frame');
      if (frame)
        frame.replaceChildren(
          ...Array.from(frame.cloneNode(true).childNodes).filter(
            (n) => !(n instanceof Element && n.matches('[data-launchpod-button]')),
          ),
        );
      document.dispatchEvent(new Event('turbo:render'));
    });
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="code-button"]')
          ?.parentElement?.querySelector('[data-launchpod-button]') !== null,
    );
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
    await page.close();
  });

  it('a second copy of the script takes over without a second button', async () => {
    const page = await open('https://gitlab.com/g/p/-/merge_requests/3', 'gitlab');
    await page.evaluate(() =>
      (window as unknown as { launchpodHarness: { start(o: unknown): void } }).launchpodHarness.start({
        family: 'gitlab',
        launcher: 'https://launchpod.test',
      }),
    );
    await page.waitForTimeout(50);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
    await page.close();
  });

  it('shows the prebuild state it is given, without delaying the button', async () => {
    const page = await open('https://gitlab.com/g/p/-/merge_requests/3', 'gitlab', { prebuild: 'ready' });
    await page.waitForFunction(
      () => document.querySelector('[data-launchpod-button]')?.getAttribute('data-prebuild') === 'ready',
    );
    expect(await page.locator('.lp-dot').getAttribute('title')).toBe('Prebuild ready');
    await page.close();
  });

  it('opens the split menu from the keyboard with Open, Open with options… and Copy launch link', async () => {
    const page = await open('https://bitbucket.org/w/r/pull-requests/4', 'bitbucket-cloud');
    await page.focus('[data-launchpod-button] .lp-more');
    await page.keyboard.press('Enter');
    // A host's shortcut that clicks a link (GitHub's `data-hotkey`): a click with no press.
    await page.evaluate(() => document.getElementById('hotkey')?.click());
    const items = page.locator('[data-launchpod-button] [role="menuitem"]');
    expect(await items.allTextContents()).toEqual(['OpenAlt+G', 'Open with options…', 'Copy launch link']);
    expect(await items.nth(1).getAttribute('href')).toBe(
      `${LAUNCHER}/?autostart=false#https://bitbucket.org/w/r/pull-requests/4`,
    );
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-launchpod-button] [role="menu"]').isHidden()).toBe(true);
    await page.close();
  });

  it('ignores a page-supplied script-looking context: text goes through textContent, never markup', async () => {
    const url = 'https://github.com/o/r/tree/%3Cimg%20src=x%20onerror=alert(1)%3E';
    const page = await context.newPage();
    await page.route(url, (route) =>
      route.fulfill({ contentType: 'text/html', body: fixtureHtml('github/hand-repo-react.html') }),
    );
    await page.goto(url);
    await page.evaluate(
      (launcher) =>
        (window as unknown as { launchpodHarness: { start(o: unknown): void } }).launchpodHarness.start({
          family: 'github',
          launcher,
        }),
      LAUNCHER,
    );
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.close();
  });
});
