// One process per MODELOPS_HOME: the embedded default's Postgres cluster, S3 folder and admin token belong to
// the process that holds `$MODELOPS_HOME/server.lock`, a file naming its pid and address. A second process
// finds the holder alive and refuses to start, touching nothing; a lock whose holder is provably dead (no such
// pid, or the pid now belongs to a process started at another time) is taken over, and with it whatever that
// holder left running in the home.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './config';

/** What the lock file holds (JSON). */
export interface LockHolder {
  pid: number;
  /** The gRPC address the holder listens on, or the one it was asked for while it starts. */
  addr: string;
  /** The holder's start time in clock ticks since boot (Linux), to tell a reused pid from the holder. */
  start?: string;
  /** The embedded Postgres URL (no password) once it runs, so `modelops backup` can copy a live home. */
  databaseUrl?: string;
  /** The embedded S3 endpoint once it runs (its credentials are the fixed ones of EmbeddedS3). */
  s3Endpoint?: string;
}

/** The lock file of a home. */
export function lockFile(home: string): string {
  return path.join(home, 'server.lock');
}

/** The start time of `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), where /proc exists. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** True while a process with this pid exists (one of another user's counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True unless the holder is provably dead: its pid is gone, or taken by a process started at another time. */
export function holderAlive(h: LockHolder): boolean {
  if (!Number.isInteger(h.pid) || h.pid <= 0 || !pidAlive(h.pid)) return false;
  const now = processStart(h.pid);
  return !(h.start && now && h.start !== now);
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' ? h : { pid: 0, addr: '' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable or half-written JSON: a holder dies between creating the file and writing it only if killed.
    return { pid: 0, addr: '' };
  }
}

/** The live holder of a home's lock, or undefined when no live process holds it. */
export function liveHolder(home: string): LockHolder | undefined {
  const h = readHolder(lockFile(home));
  return h && holderAlive(h) ? h : undefined;
}

/** The lock this process holds on a home; release() gives it up (also done when the process exits). */
export class HomeLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly file: string, private holder: LockHolder) {
    process.once('exit', this.onExit);
  }

  /**
   * Takes the home's lock for this process, or throws a ConfigError naming the live holder's pid and address.
   * `previous` on the result is the dead holder taken over, if any.
   */
  static acquire(home: string, addr: string): HomeLock & { previous?: LockHolder } {
    const file = lockFile(home);
    const me: LockHolder = { pid: process.pid, addr, start: processStart(process.pid) };
    let previous: LockHolder | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        // 'wx' creates the file only if it does not exist: of two processes starting at once, one wins.
        fs.writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o644 });
        return Object.assign(new HomeLock(file, me), { previous });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const other = readHolder(file);
      if (!other) continue; // released between our two steps: try again
      if (other.pid === process.pid) throw new Error(`this process already holds ${file}`);
      if (holderAlive(other)) {
        throw new ConfigError(`MODELOPS_HOME ${home} is in use by modelops pid ${other.pid} serving ${other.addr || '(starting)'}; ` +
          'stop that process first, or set MODELOPS_HOME to another folder');
      }
      // The holder is dead. Its file is moved aside in one step and checked again, so that of two processes
      // taking over at once the slower one cannot delete the lock the faster one just made: it puts it back.
      const aside = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = readHolder(aside);
      if (moved && holderAlive(moved)) {
        try { fs.linkSync(aside, file); } catch { /* a third process made one meanwhile: it stands */ }
      } else {
        previous = other;
      }
      fs.rmSync(aside, { force: true });
    }
    throw new ConfigError(`MODELOPS_HOME ${home}: could not take ${file}; another modelops is starting there`);
  }

  /** Records the address the server now listens on (with its real port), for the refusal of a second process. */
  setAddress(addr: string): void {
    this.update({ addr });
  }

  /** Records where the embedded stores listen, for `modelops backup` of a home in use. */
  setStores(stores: { databaseUrl?: string; s3Endpoint?: string }): void {
    this.update(stores);
  }

  private update(change: Partial<LockHolder>): void {
    if (this.released) return;
    this.holder = { ...this.holder, ...change };
    const tmp = `${this.file}.${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify(this.holder)}\n`, { mode: 0o644 });
    fs.renameSync(tmp, this.file);
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    if (readHolder(this.file)?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}
