// The process side of `modelops serve` and `modelops start`: start the platform, print where it listens,
// run an optional task once it is up, and shut down in order on SIGINT/SIGTERM/SIGHUP or when its npm launcher ends.
import type { Args, Io } from './command';
import { str } from './command';
import { loadServerConfig } from '../services/common/config';
import { createLogger, type Logger } from '../services/common/logger';
import { startPlatform, type Platform } from '../services/serve';
import { adminTokenFile } from '../services/common/admin-token';
import { watchLauncher } from './launcher';

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
  /** The web console's URL, or '' when it is off. */
  console_url: string;
  database: string;
  artifacts: string;
  admin_token_file: string | null;
}

/** Runs the platform until a signal; `whenReady` runs once it listens (its failure is logged, not fatal). */
export async function runServe(args: Args, io: Io, opts: { quiet?: boolean; logFile?: (home: string) => string; whenReady?: (p: Platform, ready: Ready, log: Logger) => Promise<void> } = {}): Promise<number> {
  const config = loadServerConfig({ addr: str(args, 'addr'), metricsAddr: str(args, 'metrics-addr'), services: str(args, 'services') });
  const logFile = opts.logFile?.(config.home);
  const log = createLogger('modelops', logFile);
  const graceMs = Number(args.flags['grace-seconds'] ?? 10) * 1000;
  // Signals are handled from the first moment, not once the platform is up: the default action would end node
  // mid-start and leave the embedded Postgres it had just started running. A stop asked for during the start
  // happens as soon as the start is done.
  let platform: Platform | undefined;
  let first = 0;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => { resolveStopped = resolve; });
  const stopNow = (p: Platform) => {
    p.stop(graceMs).then(resolveStopped, (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      resolveStopped();
    });
  };
  const onStop = (why: Record<string, unknown>) => {
    // A second signal more than a second after the first (an impatient Ctrl-C) exits at once; one
    // arriving with the first (a process group receiving it twice) is the same request.
    if (first && Date.now() - first < 1000) return;
    if (first) {
      log.warn(why, 'second signal: exiting now');
      process.exit(130);
    }
    first = Date.now();
    log.info(why, 'shutting down');
    if (platform) stopNow(platform);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (sig: NodeJS.Signals) => onStop({ sig });
  for (const sig of signals) process.on(sig, onSignal);
  // `npm start`: npm's shell dies on SIGTERM without passing it on, so the launcher's end is a stop request too.
  const unwatch = watchLauncher((pid) => onStop({ launcher: pid, reason: 'the launcher ended' }));
  try {
    platform = await startPlatform(config, log);
  } catch (err) {
    unwatch();
    for (const sig of signals) process.removeListener(sig, onSignal);
    throw err;
  }
  if (first) {
    stopNow(platform);
    await stopped;
    return 0;
  }
  const ready: Ready = { addr: platform.server.addr, services: config.services, metrics_addr: platform.metricsAddr,
    console_url: platform.consoleUrl,
    database: config.databaseUrl ? 'DATABASE_URL' : 'embedded', artifacts: platform.ctx.s3.endpoint,
    admin_token_file: config.databaseUrl ? null : adminTokenFile(config.home) };
  if (io.json) io.out(JSON.stringify({ ready }));
  else if (!opts.quiet) {
    io.err(`modelops serving ${config.services.join(',')} on ${ready.addr}` +
      `${ready.metrics_addr ? ` (metrics http://${ready.metrics_addr}/metrics)` : ''}\n` +
      `${ready.console_url ? `  console: ${ready.console_url}\n` : ''}` +
      `  database: ${ready.database}; artifacts: ${ready.artifacts}\n` +
      `${logFile ? `  server logs: ${logFile}\n` : ''}`);
  }
  if (opts.whenReady) {
    opts.whenReady(platform, ready, log).catch((err: unknown) => {
      io.err(`\nthe first-run story stopped: ${(err as Error).message}\nthe platform keeps serving on ${ready.addr}.\n`);
    });
  } else if (!io.json && !opts.quiet) {
    io.err(`  try: MODELOPS_ADDR=${ready.addr} npx modelops models list   (Ctrl-C stops)\n`);
  }
  await stopped;
  unwatch();
  return 0;
}
