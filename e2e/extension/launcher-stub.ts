// A stand-in launcher for the extension's browser tests: a real HTTP server on 127.0.0.1 that answers the two
// endpoints the extension calls (status, anchors) with the launcher's real shapes, and a page for launch links.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundledAnchorTable } from '../../extension/src/hosts/bundled.ts';

export interface LauncherStub {
  readonly origin: string;
  /** Page URL → prebuild state the status endpoint reports. */
  readonly prebuilds: Map<string, 'ready' | 'building' | 'none'>;
  readonly statusRequests: string[];
  /** What `/api/v1/extension/anchors` answers (the bundled table unless a test replaces it). */
  anchors: unknown;
  close(): Promise<void>;
}

export async function startLauncherStub(): Promise<LauncherStub> {
  const prebuilds = new Map<string, 'ready' | 'building' | 'none'>();
  const statusRequests: string[] = [];
  const state: { anchors: unknown } = { anchors: bundledAnchorTable };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The launcher's CORS for its public reads: any origin, never with credentials.
    if (url.pathname.startsWith('/api/v1/')) res.setHeader('access-control-allow-origin', '*');
    if (url.pathname === '/api/v1/status') {
      const page = url.searchParams.get('url') ?? '';
      statusRequests.push(page);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ launchable: true, prebuild: { state: prebuilds.get(page) ?? 'none' } }));
    } else if (url.pathname === '/api/v1/extension/anchors') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(state.anchors));
    } else {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<!doctype html><title>Launchpod</title><h1>Starting your workspace…</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    prebuilds,
    statusRequests,
    get anchors() {
      return state.anchors;
    },
    set anchors(table: unknown) {
      state.anchors = table;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
