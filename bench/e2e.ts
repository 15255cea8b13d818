// bench/e2e: a person clicks the Launchpod badge in a README; how long until the workspace page is on screen — for a
// repository launched clean and launched from a ready prebuild, side by side in one run — on the whole local stack
// (wrangler dev, the reference cluster, the fake hosts), in Chromium. Split where a person sees it change: click →
// the start page (loaded), and start page → the workspace running (the start page learns it and goes to the
// workspace page: that navigation's start). And how much of the whole the launcher itself takes: the union of the
// browser's requests to the launcher (its pages, the start call, the status polls), from the browser's own network
// timing. Each round is a fresh browser context (a new anonymous owner, nothing cached in the browser). Then the
// same with editors on: a file link with a line range → VS Code in the browser loaded with that file open (click →
// editor ready), and → the linked lines selected in it (the Launchpod extension's doing, once VS Code's extension
// host is up), clean and from a prebuild. Prints figures; asserts nothing.

import type { Page, Request } from 'playwright-core';
import { deliverGithubPush, registerProject, waitForPrebuild } from '../dev/prebuild-hooks.ts';
import {
  openWorkspacePage,
  waitForWorkspacePage,
  workspaceOriginPattern,
} from '../e2e/browser/workspace-page.ts';
import { startDemoStackAndChromium, stopDemoStacks } from '../e2e/demo-stack.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const ADMIN_TOKEN = `bench-admin-${Date.now()}`;
const REPO = 'https://github.com/launchpod-samples/node-app';
const README = 'http://readme.localhost/launchpod-samples/node-app';
/** With editors on: a file and lines, as a person links them. */
const FILE = `${REPO}/blob/main/src/index.js#L1-L2`;

interface Round {
  /** Click → the launcher's start page loaded. */
  readonly clickToStartPageMs: number;
  /** Start page loaded → the workspace running: the browser starts loading the workspace's origin. */
  readonly startPageToRunningMs: number;
  /** Click → the workspace page loaded, or with editors on: the workbench loaded with the file open. */
  readonly clickToWorkspaceMs: number;
  /** With editors on: click → the linked lines selected (the Launchpod extension does it once its host is up). */
  readonly clickToLinesSelectedMs?: number;
  readonly launcherMs: number;
  /** The launcher's time split: its pages and their assets, the start call, the status polls. */
  readonly pagesMs: number;
  readonly startCallMs: number;
  readonly pollsMs: number;
  readonly startedFrom: string;
}

const results = { page: await measure(false), editor: await measure(true) };
console.log(JSON.stringify({ bench: 'e2e', rounds: ROUNDS, ...results }, null, 2));

/** Clean rounds, then a prebuild of main, then rounds from it, on a fresh stack with editors on or off. */
async function measure(editor: boolean) {
  try {
    // Every round leaves its workspace running: room for all of them.
    const { stack, browser } = await startDemoStackAndChromium(
      `launchpod-bench-e2e-${editor ? 'editor-' : ''}`,
      {
        launcherVars: { ADMIN_TOKEN },
        clusterArgs: ['--max-workspaces', String(2 * ROUNDS + 2)],
        editor,
        // The demo's 5 s init: what a prebuild saves is the point of the comparison.
        initSeconds: 5,
      },
    );
    const launcher = new URL(stack.launcherUrl).origin;

    /** One click on the README badge → the cluster's workspace page, with the launcher's share of it. */
    const round = async (target: string): Promise<Round> => {
      const context = await browser.newContext({ permissions: ['local-network-access'] });
      await context.route(README, (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><title>node-app</title><h1>node-app</h1><p><a id="badge" href="${launcher}/#${target}">Open in Launchpod</a></p>`,
        }),
      );
      const page = await context.newPage();
      await page.goto(README);
      const intervals: [number, number][] = [];
      const byKind: Record<'pages' | 'start' | 'polls', [number, number][]> = {
        pages: [],
        start: [],
        polls: [],
      };
      let clickedAt = Date.now();
      const record = (request: Request) => {
        if (new URL(request.url()).origin !== launcher) return;
        const t = request.timing();
        if (t.responseEnd <= 0) return;
        const interval: [number, number] = [t.startTime, t.startTime + t.responseEnd];
        intervals.push(interval);
        const path = new URL(request.url()).pathname;
        byKind[
          path === '/api/v1/workspaces' && request.method() === 'POST'
            ? 'start'
            : path.startsWith('/api/v1/workspaces/')
              ? 'polls'
              : 'pages'
        ].push(interval);
        if (process.env.DEBUG_E2E)
          console.error(
            request.method(),
            request.url().slice(0, 90),
            Math.round(t.startTime - clickedAt),
            Math.round(t.responseEnd),
          );
      };
      page.on('requestfinished', record);
      let startPageAt: number | undefined;
      let runningAt: number | undefined;
      const onLoad = () => {
        if (startPageAt === undefined && page.url().startsWith(`${launcher}/start`)) startPageAt = Date.now();
      };
      const onRequest = (request: Request) => {
        if (
          runningAt === undefined &&
          request.isNavigationRequest() &&
          request.frame() === page.mainFrame() &&
          workspaceOriginPattern(stack.clusters[0]?.publicOrigin ?? '').test(request.url())
        )
          runningAt = Date.now();
      };
      page.on('load', onLoad);
      page.on('request', onRequest);
      clickedAt = Date.now();
      await page.click('#badge');
      await waitForWorkspacePage(page, stack, { timeout: 120_000, waitUntil: 'load' });
      if (editor) await editorReady(page);
      const landedAt = Date.now();
      if (editor) await linesSelected(page);
      const selectedAt = Date.now();
      if (editor) await openWorkspacePage(page);
      const startedFrom =
        (await page.locator('main').textContent())?.match(/From prebuild|Cloned/)?.[0] ?? 'unknown';
      page.off('requestfinished', record);
      page.off('load', onLoad);
      page.off('request', onRequest);
      await context.close();
      if (startPageAt === undefined || runningAt === undefined)
        throw new Error(
          `a round missed the start page (${startPageAt}) or the workspace's start (${runningAt})`,
        );
      return {
        clickToStartPageMs: startPageAt - clickedAt,
        startPageToRunningMs: runningAt - startPageAt,
        clickToWorkspaceMs: landedAt - clickedAt,
        ...(editor && { clickToLinesSelectedMs: selectedAt - clickedAt }),
        launcherMs: unionMs(intervals, clickedAt, landedAt),
        pagesMs: unionMs(byKind.pages, clickedAt, landedAt),
        startCallMs: unionMs(byKind.start, clickedAt, landedAt),
        pollsMs: unionMs(byKind.polls, clickedAt, landedAt),
        startedFrom,
      };
    };

    // Clean: no project yet, so no prebuild to start from (each round a new owner: a new workspace).
    const clean: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) clean.push(await round(editor ? FILE : `${REPO}/tree/main`));

    // A project and a signed push webhook → the prebuild of main becomes ready.
    const created = await registerProject(stack.launcherUrl, ADMIN_TOKEN, REPO);
    if (created.status !== 201) throw new Error(`project: ${created.status} ${JSON.stringify(created.body)}`);
    const project = created.body as { id: string; webhookSecret: string };
    const sha = await (async () => {
      const resolved = await fetch(`${stack.launcherUrl}/api/v1/resolve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: stack.launcherUrl },
        body: JSON.stringify({ url: `${REPO}/tree/main` }),
      });
      return ((await resolved.json()) as { context: { sha: string } }).context.sha;
    })();
    const delivered = await deliverGithubPush(
      stack.launcherUrl,
      project,
      { fullName: 'launchpod-samples/node-app', branch: 'main', sha, defaultBranch: 'main' },
      'bench-delivery-1',
    );
    if (delivered.status !== 202) throw new Error(`webhook: ${delivered.status} ${await delivered.text()}`);
    const prebuild = await waitForPrebuild(stack.launcherUrl, `${REPO}/tree/main`);
    if (prebuild.state !== 'ready')
      throw new Error(`prebuild never became ready: ${JSON.stringify(prebuild)}`);

    const prebuilt: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) prebuilt.push(await round(editor ? FILE : `${REPO}/tree/main`));

    const summary = (rounds: Round[]) => {
      const total = median(rounds.map((r) => r.clickToWorkspaceMs));
      const inLauncher = median(rounds.map((r) => r.launcherMs));
      return {
        clickToStartPageMsMedian: Math.round(median(rounds.map((r) => r.clickToStartPageMs))),
        startPageToRunningMsMedian: Math.round(median(rounds.map((r) => r.startPageToRunningMs))),
        clickToWorkspaceMsMedian: Math.round(total),
        ...(editor && {
          clickToLinesSelectedMsMedian: Math.round(median(rounds.map((r) => r.clickToLinesSelectedMs ?? 0))),
        }),
        launcherMsMedian: Math.round(inLauncher),
        launcherShare: Number(
          (median(rounds.map((r) => r.launcherMs / r.clickToWorkspaceMs)) * 100).toFixed(1),
        ),
        launcherSplitMsMedian: {
          pagesAndAssets: Math.round(median(rounds.map((r) => r.pagesMs))),
          startCall: Math.round(median(rounds.map((r) => r.startCallMs))),
          statusPolls: Math.round(median(rounds.map((r) => r.pollsMs))),
        },
        startedFrom: [...new Set(rounds.map((r) => r.startedFrom))],
        rounds: rounds.map(
          (r) =>
            `click → start page ${r.clickToStartPageMs} ms, → running ${r.startPageToRunningMs} ms, → workspace page ${r.clickToWorkspaceMs} ms${r.clickToLinesSelectedMs === undefined ? '' : `, lines selected ${r.clickToLinesSelectedMs} ms`}; launcher ${Math.round(r.launcherMs)} ms`,
        ),
      };
    };
    const cleanSummary = summary(clean);
    const prebuildSummary = summary(prebuilt);
    // Side by side, as README shows it.
    console.table({
      'click → start page (ms)': {
        clean: cleanSummary.clickToStartPageMsMedian,
        'from a prebuild': prebuildSummary.clickToStartPageMsMedian,
      },
      'start page → workspace running (ms)': {
        clean: cleanSummary.startPageToRunningMsMedian,
        'from a prebuild': prebuildSummary.startPageToRunningMsMedian,
      },
      [editor ? 'click → editor ready, file open (ms)' : 'click → workspace page loaded (ms)']: {
        clean: cleanSummary.clickToWorkspaceMsMedian,
        'from a prebuild': prebuildSummary.clickToWorkspaceMsMedian,
      },
      ...(editor && {
        'click → the linked lines selected (ms)': {
          clean: cleanSummary.clickToLinesSelectedMsMedian,
          'from a prebuild': prebuildSummary.clickToLinesSelectedMsMedian,
        },
      }),
      'in the launcher (ms)': {
        clean: cleanSummary.launcherMsMedian,
        'from a prebuild': prebuildSummary.launcherMsMedian,
      },
    });
    return { clean: cleanSummary, prebuild: prebuildSummary };
  } finally {
    await stopDemoStacks();
  }
}

/** VS Code in the browser on the workspace's origin, its workbench loaded and the linked file open in a tab. */
async function editorReady(page: Page): Promise<void> {
  await page.waitForURL(/^http:\/\/[a-z0-9-]+\.[^/]+\/(\?|$)/, { timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  await page.locator('.tabs-container .tab', { hasText: 'index.js' }).waitFor({ timeout: 120_000 });
}

/** The linked lines (`#L1-L2`) selected in the open file: the status bar counts the selection. */
async function linesSelected(page: Page): Promise<void> {
  await page
    .locator('.statusbar')
    .filter({ hasText: /\(\d+ selected\)/ })
    .waitFor({ timeout: 120_000 });
}

/** Milliseconds covered by at least one interval, clipped to [from, to]. */
function unionMs(intervals: readonly [number, number][], from: number, to: number): number {
  const sorted = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of sorted) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
}
