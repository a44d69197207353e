// Change notifications: a dedicated pg client LISTENs on `modelops_changes` and calls back for each change
// of production, an alias, a rollout or a version, reconnecting (with backoff) when the connection drops.
import { Client } from 'pg';
import { CHANGES_CHANNEL, type ChangeEvent } from './alias-store';

/** A running listener. */
export interface ChangeListener {
  /** Resolves once the first LISTEN is in place (changes committed after that are delivered). */
  ready: Promise<void>;
  /** Stops listening and closes the client. */
  close(): Promise<void>;
}

/**
 * Listens for changes on `url`. `onChange` runs for every notification; after a reconnect it is called
 * with `{ model: '*', kind: 'version' }`, since changes made while disconnected were missed and callers must
 * reload what they cache. A payload that is not a ChangeEvent is ignored.
 */
export function listenChanges(url: string, onChange: (e: ChangeEvent) => void,
  opts: { onError?: (err: Error) => void; retryMs?: number } = {}): ChangeListener {
  let closed = false;
  let client: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => { resolveReady = r; });
  let connectedOnce = false;

  const schedule = () => {
    if (closed) return;
    const delay = Math.min(30_000, (opts.retryMs ?? 250) * 2 ** Math.min(attempt++, 7));
    timer = setTimeout(() => { void connect(); }, delay);
    timer.unref();
  };

  const connect = async () => {
    if (closed) return;
    const c = new Client({ connectionString: url });
    client = c;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      opts.onError?.(err);
      c.removeAllListeners('notification');
      c.end().catch(() => undefined);
      if (client === c) client = undefined;
      schedule();
    };
    c.on('error', fail);
    c.on('end', () => { if (!closed) fail(new Error('the change listener connection ended')); });
    c.on('notification', (msg) => {
      if (msg.channel !== CHANGES_CHANNEL || !msg.payload) return;
      try {
        const e = JSON.parse(msg.payload) as ChangeEvent;
        if (typeof e.model === 'string' && typeof e.kind === 'string') onChange(e);
      } catch {
        // not ours
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      attempt = 0;
      if (connectedOnce) onChange({ model: '*', kind: 'version' });
      connectedOnce = true;
      resolveReady();
    } catch (err) {
      fail(err as Error);
    }
  };
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => undefined);
      resolveReady();
    },
  };
}
