// `modelops serve`: hosts any subset of the six services on one port, with grpc.health.v1.Health
// (status per service) and server reflection, the access interceptor in front of everything, and a
// graceful shutdown that stops accepting, drains in-flight calls (bounded), then closes the stores.
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { GRPC_SERVICE, type ServiceName } from '../proto/load';
import { accessInterceptor, type RoleTable } from './common/auth';
import { admissionInterceptor, writeLimits, type Admission } from './common/admission';
import { addReflection } from './common/reflection';
import { guardService } from './common/request-guard';
import type { PlatformContext, ServiceFactory, ServiceModule } from './common/context';
import type { Role } from '../registry/token-store';
import { ConfigError } from './common/config';

/** Message size limits of the server (a 5,000-candidate Score request is ~100 KB; imports stream). */
export const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;
export const MAX_SEND_BYTES = 64 * 1024 * 1024;

function factoryOf(name: ServiceName | 'auth' | 'experiment'): ServiceFactory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`./${name}/index`) as { create: ServiceFactory }).create;
}

/** Builds the role table and refuses a platform method that declares no role. */
export function roleTable(modules: ServiceModule[]): RoleTable {
  const table: RoleTable = new Map();
  for (const m of modules) {
    for (const [method, def] of Object.entries(m.definition)) {
      const role = m.roles[method] as Role | undefined;
      if (!role) throw new Error(`${def.path} declares no role: add it to its service's roles`);
      table.set(def.path, role);
    }
  }
  return table;
}

/** The admission gate of every back-pressured method of `modules`, by path (admission.ts). */
function admissionGates(ctx: PlatformContext, modules: ServiceModule[]): Map<string, Admission> {
  const limits = writeLimits();
  const gates = new Map<string, Admission>();
  for (const m of modules) {
    for (const method of m.backPressured ?? []) {
      const def = m.definition[method];
      if (!def) throw new Error(`backPressured names ${method}, which the service does not define`);
      gates.set(def.path, ctx.metrics.admission(method, limits));
    }
  }
  return gates;
}

/** A running server. */
export interface RunningServer {
  /** The bound address (host:port), with the real port when 0 was asked for. */
  addr: string;
  server: grpc.Server;
  health: HealthImplementation;
  modules: Map<string, ServiceModule>;
  /** Stops accepting, waits up to `graceMs` for in-flight calls, then stops background work. */
  shutdown(graceMs?: number): Promise<void>;
}

/** Starts the gRPC server for `services` on `addr`. */
export async function startServer(ctx: PlatformContext, services: ServiceName[], addr: string): Promise<RunningServer> {
  const modules = new Map<string, ServiceModule>();
  modules.set('modelops.v1.AuthService', await factoryOf('auth')(ctx));
  // Experiments are records that any process can serve (the work runs in the client that creates them), so every
  // process serves them, as it serves tokens.
  modules.set('modelops.v1.ExperimentService', await factoryOf('experiment')(ctx));
  for (const name of services) modules.set(GRPC_SERVICE[name], await factoryOf(name)(ctx));

  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
    'grpc.max_send_message_length': MAX_SEND_BYTES,
    interceptors: [accessInterceptor({
      roles: roleTable([...modules.values()]), verifier: ctx.verifier,
      requireTokenForReads: ctx.config.requireTokenForReads, log: ctx.log,
    }), admissionInterceptor(admissionGates(ctx, [...modules.values()]))],
  });
  // grpc-js refuses a service with no methods; one whose RPCs are still to come is only in health and reflection.
  // Every request passes the guard (request-guard.ts): bytes that do not decode and strings with U+0000 are
  // INVALID_ARGUMENT before a handler runs.
  for (const m of modules.values()) {
    if (Object.keys(m.definition).length === 0) continue;
    const guarded = guardService(m.definition, m.handlers);
    server.addService(guarded.definition, guarded.handlers);
  }

  const statusMap: Record<string, 'SERVING' | 'NOT_SERVING'> = { '': 'SERVING' };
  for (const name of modules.keys()) statusMap[name] = 'SERVING';
  const health = new HealthImplementation(statusMap);
  health.addToServer(server);
  addReflection(server, [...modules.keys()]);

  const credentials = ctx.config.tls
    ? grpc.ServerCredentials.createSsl(null, [{
      cert_chain: fs.readFileSync(ctx.config.tls.certFile), private_key: fs.readFileSync(ctx.config.tls.keyFile),
    }])
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(addr, credentials, (err, p) => (err ? reject(new ConfigError(`--addr/MODELOPS_ADDR: cannot listen on ${addr} (${/EADDRINUSE/.test(err.message) ? 'address in use' : err.message}); expected a free host:port`)) : resolve(p)));
  });
  const bound = `${addr.slice(0, addr.lastIndexOf(':'))}:${port}`;
  for (const m of modules.values()) await m.start?.();

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs = 10_000) => {
    stopping ??= (async () => {
      for (const name of modules.keys()) health.setStatus(name, 'NOT_SERVING');
      health.setStatus('', 'NOT_SERVING');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ctx.log.warn({ graceMs }, 'in-flight calls did not finish in time; cancelling them');
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      for (const m of modules.values()) await m.close?.().catch((err: unknown) => ctx.log.error({ err }, 'service close failed'));
    })();
    return stopping;
  };
  return { addr: bound, server, health, modules, shutdown };
}
