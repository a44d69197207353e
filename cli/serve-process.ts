// The process side of `modelops serve` and `modelops start`: start the platform, print where it listens,
// run an optional task once it is up, and shut down in order on SIGINT/SIGTERM.
import type { Args, Io } from './command';
import { str } from './command';
import { loadServerConfig } from '../services/common/config';
import { createLogger, type Logger } from '../services/common/logger';
import { startPlatform, type Platform } from '../services/serve';
import { adminTokenFile } from '../services/common/context';

/** Flags shared by serve and start. */
export const SERVE_FLAGS = {
  services: { type: 'string' as const, description: 'Comma-separated subset of feature,training,evaluation,scoring,registry,rollout (default all).', placeholder: 'LIST' },
  'metrics-addr': { type: 'string' as const, description: 'Prometheus endpoint host:port (default MODELOPS_METRICS_ADDR, else 127.0.0.1:9464; "off" disables).', placeholder: 'HOST:PORT' },
  'grace-seconds': { type: 'number' as const, description: 'How long shutdown waits for in-flight calls (default 10).' },
};

/** What the process reports once it listens (printed as {"ready": ...} with --json). */
export interface Ready {
  addr: string;
  services: string[];
  metrics_addr: string;
  database: string;
  artifacts: string;
  admin_token_file: string | null;
}

/** Runs the platform until a signal; `whenReady` runs once it listens (its failure is logged, not fatal). */
export async function runServe(args: Args, io: Io, opts: { quiet?: boolean; whenReady?: (p: Platform, ready: Ready, log: Logger) => Promise<void> } = {}): Promise<number> {
  const config = loadServerConfig({ addr: str(args, 'addr'), metricsAddr: str(args, 'metrics-addr'), services: str(args, 'services') });
  const log = createLogger();
  const platform = await startPlatform(config, log);
  const ready: Ready = { addr: platform.server.addr, services: config.services, metrics_addr: platform.metricsAddr,
    database: config.databaseUrl ? 'DATABASE_URL' : 'embedded', artifacts: platform.ctx.s3.endpoint,
    admin_token_file: config.databaseUrl ? null : adminTokenFile(config.home) };
  if (io.json) io.out(JSON.stringify({ ready }));
  else if (!opts.quiet) {
    io.err(`modelops serving ${config.services.join(',')} on ${ready.addr}` +
      `${ready.metrics_addr ? ` (metrics http://${ready.metrics_addr}/metrics)` : ''}\n` +
      `  database: ${ready.database}; artifacts: ${ready.artifacts}\n`);
  }
  const graceMs = Number(args.flags['grace-seconds'] ?? 10) * 1000;
  const stopped = new Promise<void>((resolve) => {
    let first = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      // A second signal more than a second after the first (an impatient Ctrl-C) exits at once; one
      // arriving with the first (a process group receiving it twice) is the same request.
      if (first && Date.now() - first < 1000) return;
      if (first) {
        log.warn({ sig }, 'second signal: exiting now');
        process.exit(130);
      }
      first = Date.now();
      log.info({ sig }, 'shutting down');
      platform.stop(graceMs).then(resolve, (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  if (opts.whenReady) {
    opts.whenReady(platform, ready, log).catch((err: unknown) => {
      io.err(`\nthe first-run story stopped: ${(err as Error).message}\nthe platform keeps serving on ${ready.addr}.\n`);
    });
  } else if (!io.json && !opts.quiet) {
    io.err(`  try: MODELOPS_ADDR=${ready.addr} npx modelops models list   (Ctrl-C stops)\n`);
  }
  await stopped;
  return 0;
}
