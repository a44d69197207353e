// A server started through npm (`npm start`, `npx modelops serve`) stops when its launcher goes. npm runs us
// under `sh -c`; on SIGTERM it signals only that shell, which dies without passing the signal on, and a
// SIGKILLed npm signals nothing: either way the server would keep running as an orphan, with its Postgres.
// Linux offers no portable "tell me when my parent dies" to node, so the chain of launchers is polled.
import * as fs from 'node:fs';
import { isSet, type EnvSource } from '../core/config';

/** One process of the launcher chain, with its start time to tell it from a later process with its pid. */
interface Ancestor {
  pid: number;
  start?: string;
}

function stat(pid: number): { ppid: number; start: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined;
  }
}

function command(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Our parent and, up to the npm process that launched us, its parents (only the parent where /proc is missing). */
export function launcherChain(): Ancestor[] {
  const chain: Ancestor[] = [];
  for (let pid = process.ppid, depth = 0; pid > 1 && depth < 4; depth++) {
    const s = stat(pid);
    chain.push({ pid, start: s?.start });
    if (!s || /(^|[/ ])npm(-cli\.js)?( |$)/.test(command(pid))) break;
    pid = s.ppid;
  }
  return chain;
}

function gone(a: Ancestor): boolean {
  try {
    process.kill(a.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return true;
  }
  const now = stat(a.pid);
  return !!(a.start && now && now.start !== a.start);
}

/**
 * When npm launched this process (npm_lifecycle_event is set), calls `onGone` once any process of the launcher
 * chain has ended, checking every `everyMs`; returns a function that stops watching. Outside npm it watches
 * nothing: a server started with `nohup modelops serve &` is meant to outlive its shell.
 */
export function watchLauncher(onGone: (pid: number) => void, everyMs = 500, env?: EnvSource): () => void {
  if (!isSet('npm_lifecycle_event', env)) return () => undefined;
  const chain = launcherChain();
  const timer = setInterval(() => {
    // A parent that died but was not reaped yet still answers kill(0); our new parent says it is gone.
    const dead = chain.length && process.ppid !== chain[0].pid ? chain[0] : chain.find(gone);
    if (dead) {
      clearInterval(timer);
      onGone(dead.pid);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
