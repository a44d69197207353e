// One process of the platform: open the stores (embedded or configured), start the gRPC server and the
// metrics endpoint and the web console, and stop all of it in order on SIGINT/SIGTERM.
import type { Logger } from 'pino';
import { openPlatform, type PlatformContext } from './common/context';
import type { ServerConfig } from './common/config';
import { startServer, type RunningServer } from './server';
import { startConsole, type RunningConsole } from './console/console-server';

/** A running platform process. */
export interface Platform {
  ctx: PlatformContext;
  server: RunningServer;
  /** The bound metrics address, or '' when disabled. */
  metricsAddr: string;
  /** The web console's URL, or '' when disabled (MODELOPS_CONSOLE_ADDR=off, or a config without consoleAddr). */
  consoleUrl: string;
  /** Drains calls (up to graceMs), stops background work, closes the stores and embedded servers. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts everything `config` asks for. */
export async function startPlatform(config: ServerConfig, log: Logger): Promise<Platform> {
  const ctx = await openPlatform(config, log);
  let server: RunningServer;
  let metricsAddr = '';
  let web: RunningConsole | undefined;
  try {
    server = await startServer(ctx, config.services, config.addr);
    ctx.setAddress(server.addr);
    if (config.metricsAddr) {
      metricsAddr = await ctx.metrics.listen(config.metricsAddr).catch((err: Error) => {
        log.warn({ err: err.message, addr: config.metricsAddr }, 'metrics endpoint not started (MODELOPS_METRICS_ADDR / --metrics-addr in use?)');
        return '';
      });
    }
    // Like the metrics endpoint, a console whose address is taken (its default 127.0.0.1:8080 often is) is
    // reported and left out: the gRPC API, which everything else needs, keeps serving.
    if (config.consoleAddr) {
      web = await startConsole(config, server.addr, log).catch((err: Error) => {
        log.warn({ err: err.message, addr: config.consoleAddr }, 'web console not started');
        return undefined;
      });
    }
  } catch (err) {
    await ctx.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    ctx, server, metricsAddr, consoleUrl: web?.url ?? '',
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        await web?.close();
        await server.shutdown(graceMs);
        await ctx.metrics.close();
        await ctx.close();
      })();
      return stopping;
    },
  };
}
