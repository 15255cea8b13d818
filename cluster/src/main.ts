// Runs the reference cluster on 127.0.0.1: prints `{"listening": "<url>"}` when ready, and on SIGINT/SIGTERM stops
// serving and kills every workspace process before exiting. Never listens on a public interface.

import type { AddressInfo } from 'node:net';
import { readCliOptions } from './cli-options.ts';
import { type Cluster, ClusterStartError, createCluster } from './cluster.ts';

const HOST = '127.0.0.1';
const logLine = (entry: Record<string, unknown>) => process.stderr.write(`${JSON.stringify(entry)}\n`);

const parsed = readCliOptions(process.argv.slice(2), process.env);
if (!parsed.ok) {
  logLine({ error: parsed.error });
  process.exit(2);
}
const { port, cluster: options } = parsed.value;

let cluster: Cluster;
try {
  cluster = createCluster({ ...options, log: logLine });
} catch (cause) {
  logLine({ error: cause instanceof ClusterStartError ? cause.message : String(cause) });
  process.exit(1);
}

const server = cluster.createServer();
server.listen(port, HOST, () => {
  const info = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ listening: `http://${HOST}:${info.port}`, runtime: cluster.runtime.kind })}\n`,
  );
  logLine({ runtime: cluster.runtime.kind, isolation: cluster.runtime.isolation });
});
server.on('error', (error) => {
  logLine({ error: `Cannot listen on ${HOST}:${port}: ${error.message}. Choose another --port.` });
  void cluster.close().then(() => process.exit(1));
});

let stoppingSince: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second signal means "now": the first one's clean shutdown is taking too long. One that follows within a
    // second is the same request, relayed (npm, a terminal's Ctrl-C reaching a wrapper and the cluster both).
    if (stoppingSince !== undefined) {
      if (performance.now() - stoppingSince > 1000) process.exit(130);
      return;
    }
    stoppingSince = performance.now();
    server.close();
    server.closeAllConnections();
    void cluster.close().then(() => process.exit(0));
  });
}
