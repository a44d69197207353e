// Back-pressure for the RPCs a client can flood with large requests (IngestEvents, RecordOutcomes). Without it
// the server reads and decodes every call it is sent, holds every decoded request while the calls queue for
// the database, and answers none of them within its deadline while it works on the backlog for minutes after
// the client gave up. With it, at most `running` calls of a method run at once and at most `waiting` wait for a
// turn (first come, first served); a call beyond both is refused at once with RESOURCE_EXHAUSTED. The gate sits
// in a server interceptor and decides on the call's metadata, before a byte of its message is read: a waiting
// call's message stays with the client (HTTP/2 flow control), so the decoded requests in memory are the
// running ones only. A waiting call whose deadline passes or whose client cancels leaves the queue and never
// runs; a call that has started runs to its end.
import { Metadata, ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';
import { readVar, type EnvSource } from '../../core/config';
import { DomainError } from '../../core/errors';
import { grpcCode, statusDetails } from './errors';
/** How many calls of one method run at once and how many may wait. */
export interface AdmissionLimits {
  running: number;
  waiting: number;
}

/** Why a call was not run: refused at once (`busy`), or it left the queue (`deadline`, `cancelled`). */
export type ShedReason = 'busy' | 'deadline' | 'cancelled';

/** The default limits, per method: MODELOPS_WRITE_CONCURRENCY (2) running, MODELOPS_WRITE_QUEUE (16) waiting. */
export function writeLimits(env?: EnvSource): AdmissionLimits {
  return { running: readVar('MODELOPS_WRITE_CONCURRENCY', env), waiting: readVar('MODELOPS_WRITE_QUEUE', env) };
}

interface Waiter {
  admit(): void;
}

/** The admission gate of one method. */
export class Admission {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly method: string, readonly limits: AdmissionLimits, private readonly onShed?: (reason: ShedReason) => void) {}

  /** Calls running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.queue.length };
  }

  /**
   * Takes a slot for a call, waiting for one when all run; resolves with the function that gives it back.
   * Refuses with RESOURCE_EXHAUSTED when the queue is full, DEADLINE_EXCEEDED when `deadline` (epoch ms) passes
   * first, CANCELLED when `signal` aborts first.
   */
  acquire(call: { deadline: number; signal: AbortSignal }): Promise<() => void> {
    return this.enter(call).then(() => {
      let given = false;
      return () => {
        if (given) return;
        given = true;
        this.leave();
      };
    });
  }

  /** Runs `fn` in a slot (acquire, run, give back). */
  async run<T>(call: { deadline: number; signal: AbortSignal }, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(call);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private shed(reason: ShedReason): DomainError {
    this.onShed?.(reason);
    if (reason === 'deadline') return new DomainError('DEADLINE_EXCEEDED', `${this.method}: the call's deadline passed while it waited for its turn; it did not run`);
    if (reason === 'cancelled') return new DomainError('CANCELLED', `${this.method}: cancelled by the client while it waited for its turn; it did not run`);
    return new DomainError('RESOURCE_EXHAUSTED', `${this.method}: the server is busy (${this.limits.running} calls running, ${this.limits.waiting} waiting); `
      + 'retry after a back-off, or send fewer calls at once');
  }

  private enter(call: { deadline: number; signal: AbortSignal }): Promise<void> {
    if (call.deadline <= Date.now()) return Promise.reject(this.shed('deadline'));
    if (this.active < this.limits.running && this.queue.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.limits.waiting) return Promise.reject(this.shed('busy'));
    if (call.signal.aborted) return Promise.reject(this.shed('cancelled'));
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const signal = call.signal;
      const out = (reason: ShedReason) => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        done();
        reject(this.shed(reason));
      };
      const onAbort = () => out(call.deadline <= Date.now() ? 'deadline' : 'cancelled');
      const done = () => {
        if (timer) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        admit: () => {
          done();
          this.active++;
          resolve();
        },
      };
      this.queue.push(waiter);
      if (Number.isFinite(call.deadline)) timer = setTimeout(() => out('deadline'), Math.max(0, call.deadline - Date.now()));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private leave(): void {
    this.active--;
    const next = this.queue.shift();
    next?.admit();
  }
}

/**
 * The server interceptor that applies `gates` (by method path) on each call's metadata. It goes after the
 * access interceptor, so a caller without the right token is refused before it can take a slot.
 */
export function admissionInterceptor(gates: Map<string, Admission>): ServerInterceptor {
  return (method, call) => {
    const gate = gates.get(method.path);
    if (!gate) return new ServerInterceptingCall(call);
    const ac = new AbortController();
    let release: (() => void) | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      ac.abort();
      release?.();
    };
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            const d = call.getDeadline();
            const deadline = d instanceof Date ? d.getTime() : Number.isFinite(d) && Number(d) > 0 ? Number(d) : Infinity;
            gate.acquire({ deadline, signal: ac.signal }).then((give) => {
              if (ended) {
                give();
                return;
              }
              release = give;
              nextMetadata(metadata);
            }, (err: DomainError) => {
              ended = true;
              call.sendStatus({ code: grpcCode(err.code), details: statusDetails(err.message), metadata: new Metadata() });
            });
          },
          // A cancelled call gives its slot back at once, even when its handler still finishes its work: a slot
          // held until a status that grpc-js may never pass on would close the gate for good.
          onCancel() {
            end();
          },
        });
      },
      sendStatus(status, next) {
        end();
        next(status);
      },
    });
  };
}
