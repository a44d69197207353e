// The read-only web console of `modelops serve`: static pages plus a small JSON API on its own address. The API
// is a gateway onto this process's own gRPC server (loopback, the caller's bearer token passed on), so every
// read goes through the same access interceptor, role table, handlers and stores as the CLI's: one data path,
// one read-token rule. With TLS configured the console serves HTTPS with the server's certificate.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { loadProtos } from '../../proto/load';
import { ConfigError, type ServerConfig } from '../common/config';
import { evaluationDeltaCharts, rolloutEffectCharts, type EffectByDayLike, type ReportLike } from './chart-spec';

/** The static files of the console, by URL path. */
const STATIC_DIR = path.join(__dirname, 'static');
const FILES: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => path.join(STATIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: () => path.join(STATIC_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: () => path.join(STATIC_DIR, 'app.css'), type: 'text/css; charset=utf-8' },
  // Chart.js's UMD bundle straight from node_modules: the page loads it with a plain script tag, no bundler.
  '/vendor/chart.umd.min.js': { file: () => path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
};

/** The most items one listing of the console shows (the RPCs' largest page). */
const PAGE = 100;

/** A running console. */
export interface RunningConsole {
  /** The console's base URL (http:// or https://, with the bound port). */
  url: string;
  close(): Promise<void>;
}

type Unary = (req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/** HTTP status for a gRPC status code, so the page can tell "enter a token" from "not found". */
function httpStatusOf(code: number): number {
  switch (code) {
    case grpc.status.UNAUTHENTICATED: return 401;
    case grpc.status.PERMISSION_DENIED: return 403;
    case grpc.status.NOT_FOUND: return 404;
    case grpc.status.INVALID_ARGUMENT: case grpc.status.FAILED_PRECONDITION: return 400;
    case grpc.status.UNIMPLEMENTED: return 501;
    default: return 502;
  }
}

/** The loopback address of a bound server address (a wildcard host is reached on the local interface). */
export function loopbackOf(addr: string): string {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i);
  const port = addr.slice(i + 1);
  if (host === '0.0.0.0' || host === '') return `127.0.0.1:${port}`;
  if (host === '[::]') return `[::1]:${port}`;
  return addr;
}

/**
 * Starts the console on `config.consoleAddr`, reading through the gRPC server at `grpcAddr`. A busy address
 * is reported as a ConfigError naming MODELOPS_CONSOLE_ADDR.
 */
export async function startConsole(config: ServerConfig, grpcAddr: string, log: Logger): Promise<RunningConsole> {
  const addr = config.consoleAddr!;
  const tls = config.tls ? { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) } : undefined;
  // The loopback channel trusts exactly the server's own certificate; its name is not checked, since the
  // certificate names the public host while this channel dials 127.0.0.1.
  const creds = tls
    ? grpc.credentials.createSsl(tls.cert, null, null, { checkServerIdentity: () => undefined })
    : grpc.credentials.createInsecure();
  const v1 = loadProtos().v1 as unknown as Record<string, new (a: string, c: grpc.ChannelCredentials, o: object) => grpc.Client>;
  const target = loopbackOf(grpcAddr);
  const clients = new Map<string, grpc.Client>();
  const rpc = (service: string, method: string, req: object, token: string | undefined): Promise<Record<string, unknown>> => {
    let client = clients.get(service);
    if (!client) {
      client = new v1[service](target, creds, { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
      clients.set(service, client);
    }
    const md = new grpc.Metadata();
    if (token) md.set('authorization', `Bearer ${token}`);
    const fn = (client as unknown as Record<string, Unary>)[method].bind(client);
    return new Promise((resolve, reject) => {
      fn(req, md, { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res as Record<string, unknown>)));
    });
  };

  const routes: { re: RegExp; run: (m: string[], token: string | undefined) => Promise<unknown> }[] = [
    { re: /^\/api\/models$/, run: async (_m, t) => rpc('RegistryService', 'ListModels', { page_size: PAGE }, t) },
    {
      re: /^\/api\/models\/([^/]+)$/,
      run: async ([model], t) => {
        const name = `models/${model}`;
        const [m, versions, audit] = await Promise.all([
          rpc('RegistryService', 'GetModel', { name }, t),
          rpc('RegistryService', 'ListModelVersions', { model: name, page_size: PAGE }, t),
          rpc('RegistryService', 'ListAuditEvents', { model: name, page_size: PAGE }, t),
        ]);
        return { model: m.model, versions: versions.versions, audit: audit.events };
      },
    },
    { re: /^\/api\/models\/([^/]+)\/evaluations$/, run: async ([model], t) => rpc('EvaluationService', 'ListEvaluations', { model, page_size: PAGE }, t) },
    {
      re: /^\/api\/models\/([^/]+)\/evaluations\/([^/]+)$/,
      run: async ([model, id], t) => {
        const { evaluation } = await rpc('EvaluationService', 'GetEvaluation', { name: `models/${model}/evaluations/${id}` }, t);
        const e = evaluation as { report_json?: string };
        const report = e.report_json ? JSON.parse(e.report_json) as ReportLike : null;
        return { evaluation: { ...e, report_json: undefined }, report, charts: evaluationDeltaCharts(report) };
      },
    },
    { re: /^\/api\/experiments$/, run: async (_m, t) => rpc('ExperimentService', 'ListExperiments', { page_size: PAGE }, t) },
    { re: /^\/api\/experiments\/([^/]+)$/, run: async ([id], t) => rpc('ExperimentService', 'GetExperiment', { name: `experiments/${id}` }, t) },
    { re: /^\/api\/models\/([^/]+)\/rollouts$/, run: async ([model], t) => rpc('RolloutService', 'ListRollouts', { model, page_size: PAGE }, t) },
    {
      re: /^\/api\/models\/([^/]+)\/rollouts\/([^/]+)$/,
      run: async ([model, id], t) => {
        const report = await rpc('RolloutService', 'GetRolloutReport', { model, rollout_id: id }, t);
        return { report, charts: rolloutEffectCharts((report.effect_by_exposure_day ?? []) as EffectByDayLike[]) };
      },
    },
  ];

  const send = (res: http.ServerResponse, code: number, type: string, body: string | Buffer) => {
    res.writeHead(code, {
      'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    });
    res.end(body);
  };
  const json = (res: http.ServerResponse, code: number, body: unknown) => send(res, code, 'application/json; charset=utf-8', JSON.stringify(body));

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://console');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: 'the console is read-only: use the CLI or the gRPC API to change anything' });
      return;
    }
    const file = FILES[url.pathname];
    if (file) {
      fs.readFile(file.file(), (err, data) => (err ? json(res, 500, { error: 'console asset missing; rebuild with npm run build' }) : send(res, 200, file.type, data)));
      return;
    }
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
    for (const route of routes) {
      const m = route.re.exec(url.pathname);
      if (!m) continue;
      let params: string[];
      try {
        params = m.slice(1).map(decodeURIComponent);
      } catch {
        json(res, 400, { error: 'malformed path' });
        return;
      }
      route.run(params, auth?.[1]).then((body) => json(res, 200, body), (err: unknown) => {
        const e = err as Partial<grpc.ServiceError>;
        if (typeof e.code !== 'number') log.error({ err }, 'console request failed');
        const code = typeof e.code === 'number' ? httpStatusOf(e.code) : 500;
        json(res, code, { error: e.details ?? 'internal error', code: e.code });
      });
      return;
    }
    json(res, 404, { error: `no such page: ${url.pathname}` });
  };

  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ConfigError(
      `MODELOPS_CONSOLE_ADDR: cannot listen on ${addr} (${err.code === 'EADDRINUSE' ? 'address in use' : err.message}); expected a free host:port, or "off"`)));
    server.listen(Number(addr.slice(i + 1)), host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const url = `${tls ? 'https' : 'http'}://${addr.slice(0, i)}:${port}/`;
  return {
    url,
    async close() {
      for (const c of clients.values()) c.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
