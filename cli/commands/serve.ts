// `modelops serve`: host the platform's services in this process.
import { bool, str, type Command } from '../command';
import { loadServerConfig } from '../../services/common/config';
import { createLogger } from '../../services/common/logger';
import { startPlatform } from '../../services/serve';
import { adminTokenFile } from '../../services/common/context';

export const commands: Command[] = [{
  name: 'serve',
  summary: 'Run the platform: all six services by default, or the subset --services names, on one port.',
  flags: {
    services: { type: 'string', description: 'Comma-separated subset of feature,training,evaluation,scoring,registry,rollout (default all).', placeholder: 'LIST' },
    'metrics-addr': { type: 'string', description: 'Prometheus endpoint host:port (default MODELOPS_METRICS_ADDR, else 127.0.0.1:9464; "off" disables).', placeholder: 'HOST:PORT' },
    'grace-seconds': { type: 'number', description: 'How long shutdown waits for in-flight calls (default 10).' },
    quiet: { type: 'boolean', description: 'Do not print the start banner.' },
  },
  async run(args, io) {
    const config = loadServerConfig({ addr: str(args, 'addr'), metricsAddr: str(args, 'metrics-addr'), services: str(args, 'services') });
    const log = createLogger();
    const platform = await startPlatform(config, log);
    const ready = { addr: platform.server.addr, services: config.services, metrics_addr: platform.metricsAddr,
      database: config.databaseUrl ? 'DATABASE_URL' : 'embedded', artifacts: config.s3 ? config.s3.endpoint : platform.ctx.s3.endpoint,
      admin_token_file: config.databaseUrl ? null : adminTokenFile(config.home) };
    if (io.json) io.out(JSON.stringify({ ready }));
    else if (!bool(args, 'quiet')) {
      io.err(`modelops serving ${config.services.join(',')} on ${ready.addr}` +
        `${ready.metrics_addr ? ` (metrics http://${ready.metrics_addr}/metrics)` : ''}\n` +
        `  database: ${ready.database}; artifacts: ${ready.artifacts}\n` +
        `  try: MODELOPS_ADDR=${ready.addr} npx modelops models list   (Ctrl-C stops)\n`);
    }
    const graceMs = (Number(args.flags['grace-seconds'] ?? 10)) * 1000;
    await new Promise<void>((resolve) => {
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
    return 0;
  },
}];
