// Every host family's extension pieces exist and agree: a content script per family, declared in the manifest for
// its built-in host; an anchor table whose evidence files are fixture pages of that family, each tested (anchors
// test); and page detection that recognises each fixture page of a self-hostable family as that family and no
// other. A new family fails here until its pieces exist. (Grammar, resolver, webhooks: worker's conformance test.)

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_FAMILY_IDS } from '../../shared/hosts/family-ids.ts';
import { bundledAnchorTable } from '../src/hosts/bundled.ts';
import { familyPages } from '../src/hosts/family-pages.ts';
import { CHROMIUM, CHROMIUM_ARGS, fixturePath, serveFixtures } from './browser.ts';
import { fixtureCases } from './fixture-cases.ts';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const manifest = JSON.parse(readFileSync(root('manifest.json'), 'utf8')) as {
  host_permissions: string[];
  content_scripts: { matches: string[]; js: string[] }[];
};

describe.each(HOST_FAMILY_IDS)('family %s', (family) => {
  const page = familyPages[family];

  it('has a content script, declared in the manifest for its built-in host', () => {
    expect(existsSync(root(`extension/src/content/${family}.ts`))).toBe(true);
    if (page.builtinHost === undefined) return;
    const match = `https://${page.builtinHost}/*`;
    expect(manifest.host_permissions).toContain(match);
    expect(manifest.content_scripts).toContainEqual(
      expect.objectContaining({ matches: [match], js: [`content/${family}.js`] }),
    );
  });

  it('proves every anchor rule with fixture pages of its own that the anchors test opens', () => {
    const cases = fixtureCases.filter((c) => c.family === family);
    expect(cases.some((c) => c.context !== undefined)).toBe(true);
    for (const rule of bundledAnchorTable.families[family]) {
      expect(rule.evidence.length, rule.kinds.join()).toBeGreaterThan(0);
      for (const file of rule.evidence) {
        expect(existsSync(fixturePath(file)), file).toBe(true);
        expect(
          cases.some((c) => c.file === file),
          `${file} is a fixture case of ${family}`,
        ).toBe(true);
      }
    }
  });
});

describe('page detection on the fixture pages', () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [new URL('./harness.ts', import.meta.url).pathname],
      bundle: true,
      format: 'iife',
      write: false,
      target: 'chrome120',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ javaScriptEnabled: true });
    await serveFixtures(context, new Map(fixtureCases.map((c) => [c.url.split('#')[0] ?? '', c.file])));
    await context.addInitScript({ content: bundled.outputFiles[0]?.text ?? '' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const detectable = fixtureCases.filter(
    (c) => c.context !== undefined && c.selfHosted === true && familyPages[c.family].recognises !== undefined,
  );
  for (const c of detectable) {
    it(`${c.file} is recognised as ${c.family} and nothing else`, async () => {
      const tab = await context.newPage();
      await tab.goto(c.url, { waitUntil: 'domcontentloaded' });
      const families = await tab.evaluate(() =>
        (window as unknown as { launchpodHarness: { detect(): string[] } }).launchpodHarness.detect(),
      );
      expect(families).toEqual([c.family]);
      await tab.close();
    });
  }
});
