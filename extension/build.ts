// `tsx extension/build.ts` (called by scripts/build.ts): bundles the extension with esbuild from the one root
// manifest.json into dist/chrome/ and dist/firefox/, plus store zips. The launcher address is baked in from
// LAUNCHER_URL; nothing is fetched or evaluated at run time (no remote code).

import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { build } from 'esbuild';
import { HOST_FAMILY_IDS } from '../shared/hosts/family-ids.ts';
import { DEV_KEY } from './dev-key.ts';
import { checkLauncherUrl } from './src/launcher-address.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'extension/src');
const ENTRIES: Record<string, string> = {
  background: 'background.ts',
  // One content script per host family: content/<family>.ts.
  ...Object.fromEntries(HOST_FAMILY_IDS.map((family) => [`content/${family}`, `content/${family}.ts`])),
  options: 'options/options.tsx',
  popup: 'popup/popup.tsx',
};

export interface ExtensionBuild {
  readonly dirs: { chrome: string; firefox: string };
  readonly zips: { chrome: string; firefox: string };
  readonly launcherUrl: string;
}

export interface BuildOptions {
  /** Defaults to the LAUNCHER_URL environment variable; empty: the first-run page asks. */
  readonly launcherUrl?: string;
  /** Defaults to dist/ at the repository root (tests build into a temporary directory). */
  readonly outDir?: string;
}

export async function buildExtension(options: BuildOptions = {}): Promise<ExtensionBuild> {
  const launcherUrl = options.launcherUrl ?? process.env.LAUNCHER_URL ?? '';
  let launcher = '';
  if (launcherUrl !== '') {
    const checked = checkLauncherUrl(launcherUrl);
    if (!checked.ok) throw new Error(`LAUNCHER_URL: ${checked.message}`);
    launcher = checked.origin;
  }
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const dist = options.outDir ?? join(root, 'dist');
  const out = { chrome: join(dist, 'chrome'), firefox: join(dist, 'firefox') };
  for (const [browserName, dir] of Object.entries(out) as [keyof typeof out, string][]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'icons'), { recursive: true });
    await build({
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(src, file)])),
      outdir: dir,
      bundle: true,
      minify: true,
      format: 'iife',
      target: browserName === 'chrome' ? 'chrome120' : 'firefox128',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
      define: { __LAUNCHER_URL__: JSON.stringify(launcher) },
      logLevel: 'warning',
    });
    writeFileSync(
      join(dir, 'manifest.json'),
      `${JSON.stringify(manifestFor(manifest, browserName, launcher), null, 2)}\n`,
    );
    for (const page of ['options', 'popup']) writeFileSync(join(dir, `${page}.html`), pageHtml(page));
    writeFileSync(join(dir, 'pages.css'), PAGE_CSS);
    for (const size of [16, 48, 128]) writeFileSync(join(dir, 'icons', `${size}.png`), iconPng(size));
  }
  const version = String(manifest.version);
  const zips = {
    chrome: join(dist, `launchpod-chrome-${version}.zip`),
    firefox: join(dist, `launchpod-firefox-${version}.zip`),
  };
  writeFileSync(zips.chrome, zipDirectory(out.chrome));
  writeFileSync(zips.firefox, zipDirectory(out.firefox));
  // The unpacked Chrome build (not its store zip) gets the development key: a fixed id the local launcher allows.
  const unpacked = { ...manifestFor(manifest, 'chrome', launcher), key: DEV_KEY };
  writeFileSync(join(out.chrome, 'manifest.json'), `${JSON.stringify(unpacked, null, 2)}\n`);
  return { dirs: out, zips, launcherUrl: launcher };
}

/** Chrome: a service worker, no gecko settings. Firefox: background scripts and gecko settings. */
export function manifestFor(
  source: Record<string, unknown>,
  target: 'chrome' | 'firefox',
  launcher = '',
): Record<string, unknown> {
  const manifest = structuredClone(source);
  // A launcher built in is asked with the user's cookie (the popup's workspaces): its origin is granted on install.
  if (launcher !== '') {
    const hosts = manifest.host_permissions as string[];
    manifest.host_permissions = [...hosts, `${launcher}/*`];
  }
  const background = manifest.background as { service_worker: string; scripts: string[] };
  if (target === 'chrome') {
    manifest.background = { service_worker: background.service_worker };
    delete manifest.browser_specific_settings;
  } else {
    manifest.background = { scripts: background.scripts };
  }
  return manifest;
}

function pageHtml(page: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Launchpod</title>
<link rel="stylesheet" href="pages.css"></head>
<body class="${page}"><div id="app"></div><script src="${page}.js"></script></body>
</html>
`;
}

const PAGE_CSS = `:root{color-scheme:light dark;font:14px/1.5 system-ui,sans-serif}
body{max-width:640px;margin:24px auto;padding:0 16px}body.popup{width:320px;margin:8px}
label{display:block;margin:8px 0 4px}input,select,button{font:inherit;padding:4px 8px}
input[type=url],input:not([type]){width:60%}.notice{padding:8px;border:1px solid #0969da;border-radius:6px}
.error{color:#cf222e}a.open{display:inline-block;padding:6px 12px;border-radius:6px;background:#1f883d;color:#fff;text-decoration:none}
`;

// ---- Icons: a plain launch-blue rounded square, drawn here so the build needs no image files ----------------

function iconPng(size: number): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const r = size / 5;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const dx = Math.max(r - x, x - (size - 1 - r), 0);
      const dy = Math.max(r - y, y - (size - 1 - r), 0);
      const inside = dx * dx + dy * dy <= r * r;
      const arrow = Math.abs(x - y) < size / 10 && x > size / 4 && x < (size * 3) / 4;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const [cr, cg, cb] = arrow ? [255, 255, 255] : [31, 111, 235];
      raw.set([cr, cg, cb, inside ? 255 : 0], o);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Store zips: stored with deflate, fixed timestamps so two builds of the same source are identical ---------

function zipDirectory(dir: string): Buffer {
  const files = listFiles(dir).sort();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(relative(dir, file).split('\\').join('/'));
    const data = readFileSync(file);
    const packed = deflateRawSync(data);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildExtension();
  console.log(
    `built extension → ${relative(root, result.dirs.chrome)}, ${relative(root, result.dirs.firefox)} (launcher: ${result.launcherUrl || 'none; asked on first run'})`,
  );
}
