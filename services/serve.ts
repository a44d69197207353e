// One process of the platform: open the stores (embedded or configured), start the gRPC server and the
// metrics endpoint, and stop all of it in order on SIGINT/SIGTERM.
import type { Logger } from 'pino';
import { openPlatform, type PlatformContext } from './common/context';
import type { ServerConfig } from './common/config';
import { startServer, type RunningServer } from './server';

/** A running platform process. */
export interface Platform {
  ctx: PlatformContext;
  server: RunningServer;
  /** The bound metrics address, or '' when disabled. */
  metricsAddr: string;
  /** Drains calls (up to graceMs), stops background work, closes the stores and embedded servers. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts everything `config` asks for. */
export async function startPlatform(config: ServerConfig, log: Logger): Promise<Platform> {
  const ctx = await openPlatform(config, log);
  let server: RunningServer;
  let metricsAddr = '';
  try {
    server = await startServer(ctx, config.services, config.addr);
    ctx.setAddress(server.addr);
    if (config.metricsAddr) {
      metricsAddr = await ctx.metrics.listen(config.metricsAddr).catch((err: Error) => {
        log.warn({ err: err.message, addr: config.metricsAddr }, 'metrics endpoint not started (MODELOPS_METRICS_ADDR / --metrics-addr in use?)');
        return '';
      });
    }
  } catch (err) {
    await ctx.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    ctx, server, metricsAddr,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        await server.shutdown(graceMs);
        await ctx.metrics.close();
        await ctx.close();
      })();
      return stopping;
    },
  };
}
