// Prometheus metrics of a process, served over HTTP at --metrics-addr (/metrics).
import * as http from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Admission, type AdmissionLimits } from './admission';

/** The metrics registry of a process and the metrics every service shares. */
export class Metrics {
  readonly registry = new Registry();
  /** Latency of every RPC by method and gRPC status code. */
  readonly rpcSeconds: Histogram<'method' | 'code'>;
  /** RPCs that ended with a status other than OK, by method and code. */
  readonly rpcErrors: Counter<'method' | 'code'>;
  /** Calls that back-pressure did not run (admission.ts), by method and reason (busy, deadline, cancelled). */
  readonly rpcShed: Counter<'method' | 'reason'>;
  private server?: http.Server;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'modelops_process_' });
    this.rpcSeconds = new Histogram({
      name: 'modelops_rpc_duration_seconds', help: 'RPC latency by method and status code',
      labelNames: ['method', 'code'], registers: [this.registry],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    });
    this.rpcErrors = new Counter({
      name: 'modelops_rpc_errors_total', help: 'RPCs that failed, by method and status code',
      labelNames: ['method', 'code'], registers: [this.registry],
    });
    this.rpcShed = new Counter({
      name: 'modelops_rpc_shed_total', help: 'Calls refused or dropped by back-pressure before they ran, by method and reason',
      labelNames: ['method', 'reason'], registers: [this.registry],
    });
  }

  /** The admission gate of a flood-prone method, counting what it sheds. */
  admission(method: string, limits: AdmissionLimits): Admission {
    return new Admission(method, limits, (reason) => this.rpcShed.inc({ method, reason }));
  }

  /** Serves /metrics on host:port; returns the bound address. */
  async listen(addr: string): Promise<string> {
    const i = addr.lastIndexOf(':');
    const host = addr.slice(0, i).replace(/^\[|\]$/g, '');
    const port = Number(addr.slice(i + 1));
    this.server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end('see /metrics\n');
        return;
      }
      this.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': this.registry.contentType }).end(text);
      }, (err: Error) => res.writeHead(500).end(String(err)));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const bound = this.server.address() as { port: number };
    return `${host}:${bound.port}`;
  }

  async close(): Promise<void> {
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }
}
