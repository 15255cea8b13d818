// The deployment guides stay true: every cluster flag and variable they name is one the cluster reads, every launcher
// setting and binding is one the worker has, every `npm run` script exists, the launcher's configuration with the
// guide's route passes `wrangler deploy --dry-run` with the bindings the guide names, the extension's artefacts are
// where the guide says, and links between guides lead somewhere.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheRoot } from '../cluster/src/cache-dir.ts';
import { buildExtension } from '../extension/build.ts';

const ROOT = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const GUIDES = ['docs/deploy-launcher.md', 'docs/deploy-cluster.md', 'docs/extension-stores.md'];
const launcherGuide = read('docs/deploy-launcher.md');
const clusterGuide = read('docs/deploy-cluster.md');
const extensionGuide = read('docs/extension-stores.md');

/** `wrangler.jsonc` without its comments (none of its strings holds `//`). */
const wranglerConfig = () =>
  JSON.parse(read('worker/wrangler.jsonc').replace(/^\s*\/\/.*$/gm, '')) as {
    d1_databases: { binding: string; database_name: string }[];
    kv_namespaces: { binding: string }[];
    queues: { producers: { binding: string; queue: string }[] };
    vars: Record<string, string>;
  };

/** Whole inline code spans: `--runtime podman|bubblewrap` → `--runtime podman|bubblewrap`. */
const spans = (text: string) =>
  [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
const codeBlocks = (text: string) => [...text.matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('the cluster guide', () => {
  const options = read('cluster/src/cli-options.ts');
  const flagTable = /const FLAGS = \{([\s\S]*?)\} as const;/.exec(options)?.[1] ?? '';
  const flags = new Set([...flagTable.matchAll(/^\s*'?([a-z-]+)'?: 'LAUNCHPOD_CLUSTER_/gm)].map((m) => m[1]));
  const variables = new Set([...flagTable.matchAll(/'(LAUNCHPOD_CLUSTER_[A-Z_]+)'/g)].map((m) => m[1]));

  it('names only flags the cluster reads', () => {
    expect(flags.size).toBeGreaterThan(15);
    const named = spans(clusterGuide)
      .filter((span) => span.startsWith('--'))
      .map((span) => span.slice(2).split(/[\s=]/)[0]);
    expect(named.length).toBeGreaterThan(5);
    for (const flag of named) expect(flags, `--${flag}`).toContain(flag);
  });

  it('names only variables the cluster reads', () => {
    const named = [...clusterGuide.matchAll(/LAUNCHPOD_CLUSTER_[A-Z_]+/g)].map((m) => m[0]);
    expect(named.length).toBeGreaterThan(5);
    for (const variable of named) expect(variables, variable).toContain(variable);
  });

  it('runs what exists: the unit’s loader and entry, the cache folder the image and editor go to', () => {
    // Node itself with tsx's loader (a package of the checkout in WorkingDirectory), never the `tsx` command.
    expect(clusterGuide).toContain('WorkingDirectory=/opt/launchpod\n');
    const execStart = /^ExecStart=\/usr\/bin\/node --import (\S+) (\S+)$/m.exec(clusterGuide);
    expect(execStart).not.toBeNull();
    expect(existsSync(join(ROOT, 'node_modules', execStart?.[1] ?? '', 'package.json')), execStart?.[1]).toBe(
      true,
    );
    expect(existsSync(join(ROOT, execStart?.[2] ?? '')), execStart?.[2]).toBe(true);
    expect(clusterGuide).toContain(`\`${cacheRoot({}, true)}\``);
  });
});

describe('the launcher guide', () => {
  const config = wranglerConfig();
  const vars = Object.keys(config.vars);
  const secrets = [...read('worker/src/env.d.ts').matchAll(/^\s+([A-Z][A-Z_]+)\?: string;/gm)].map(
    (m) => m[1],
  );

  it('names only settings and bindings the worker has, and every setting', () => {
    const bindings = [
      ...config.d1_databases.map((d) => d.binding),
      ...config.kv_namespaces.map((k) => k.binding),
      ...config.queues.producers.map((q) => q.binding),
    ];
    const named = spans(launcherGuide).filter((span) => /^[A-Z][A-Z0-9_]+$/.test(span));
    for (const name of named) expect([...vars, ...secrets, ...bindings], name).toContain(name);
    for (const name of [...vars, ...secrets]) expect(named, name).toContain(name);
  });

  it('creates the resources the configuration binds, under their names', () => {
    const [database] = config.d1_databases;
    const [kv] = config.kv_namespaces;
    const [queue] = config.queues.producers;
    expect(launcherGuide).toContain(`npx wrangler d1 create ${database?.database_name}`);
    expect(launcherGuide).toContain(`npx wrangler d1 migrations apply ${database?.database_name} --remote`);
    expect(launcherGuide).toContain(`npx wrangler kv namespace create ${kv?.binding}`);
    expect(launcherGuide).toContain(`npx wrangler queues create ${queue?.queue}`);
    for (const binding of [database?.binding, kv?.binding, queue?.binding])
      expect(launcherGuide).toContain(`\`env.${binding}\``);
  });

  it('passes wrangler deploy --dry-run with its route, listing the bindings it names', () => {
    const route =
      codeBlocks(launcherGuide)
        .find((block) => block.includes('"routes"'))
        ?.trim() ?? '';
    expect(route).toContain('"custom_domain": true');
    // Beside worker/wrangler.jsonc, as the guide's production file is, so its relative paths hold.
    const file = join(ROOT, 'worker', `wrangler.guide-check-${process.pid}.jsonc`);
    const out = mkdtempSync(join(tmpdir(), 'launchpod-guide-'));
    writeFileSync(
      file,
      read('worker/wrangler.jsonc').replace('"observability"', `${route}\n  "observability"`),
    );
    try {
      const run = spawnSync(
        join(ROOT, 'node_modules', '.bin', 'wrangler'),
        ['deploy', '--dry-run', '--outdir', out, '--config', file],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 120_000,
          env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
        },
      );
      const printed = `${run.stdout}${run.stderr}`;
      expect(run.status, printed).toBe(0);
      for (const binding of [...launcherGuide.matchAll(/`env\.([A-Z_]+)`/g)].map((m) => m[1]))
        expect(printed).toMatch(new RegExp(`env\\.${binding} \\(`));
      for (const name of vars) expect(printed).toContain(`env.${name} (`);
    } finally {
      rmSync(file, { force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('the extension guide', () => {
  const out = mkdtempSync(join(tmpdir(), 'launchpod-guide-extension-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const manifest = JSON.parse(read('manifest.json')) as {
    version: string;
    permissions: string[];
    host_permissions: string[];
    browser_specific_settings: { gecko: { id: string; strict_min_version: string } };
  };

  it('names the artefacts the build makes, with the launcher address baked in', async () => {
    const built = await buildExtension({ launcherUrl: 'https://launchpod.example.com', outDir: out });
    expect(built.launcherUrl).toBe('https://launchpod.example.com');
    for (const [browser, zip] of Object.entries(built.zips)) {
      expect(extensionGuide).toContain(`\`dist/launchpod-${browser}-<version>.zip\``);
      expect(zip).toBe(join(out, `launchpod-${browser}-${manifest.version}.zip`));
      expect(existsSync(zip)).toBe(true);
    }
    expect(readFileSync(join(out, 'chrome', 'background.js'), 'utf8')).toContain(
      'https://launchpod.example.com',
    );
    expect(JSON.parse(readFileSync(join(out, 'chrome', 'manifest.json'), 'utf8'))).not.toHaveProperty(
      'browser_specific_settings',
    );
  });

  it('explains every permission the manifest asks for, and names its Firefox id and version', () => {
    for (const permission of manifest.permissions) expect(extensionGuide).toContain(`\`${permission}\``);
    for (const host of manifest.host_permissions)
      expect(extensionGuide).toContain(new URL(host.replace('/*', '/')).hostname);
    expect(extensionGuide).toContain(`\`${manifest.browser_specific_settings.gecko.id}\``);
    expect(extensionGuide).toContain(
      `Firefox ${manifest.browser_specific_settings.gecko.strict_min_version.split('.')[0]}`,
    );
  });
});

describe('every guide', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: object }).scripts);

  it.each(GUIDES)('%s runs only npm scripts that exist, and its links lead somewhere', (guide) => {
    const text = read(guide);
    for (const [, script] of text.matchAll(/npm run ([a-z:-]+)/g)) expect(scripts, script).toContain(script);
    for (const [, target] of text.matchAll(/\]\((?!https?:|#)([^)#]+)(#[^)]*)?\)/g))
      expect(existsSync(join(ROOT, dirname(guide), target ?? '')), `${guide} → ${target}`).toBe(true);
  });
});
