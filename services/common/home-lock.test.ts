import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HomeLock, lockFile, processStart } from './home-lock';
import { ConfigError } from './config';

function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mo-lock-'));
}

test('a live holder is refused with its pid and address, and its lock file is left as it was', async (t) => {
  const home = tempHome();
  const other = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.after(() => { other.kill(); fs.rmSync(home, { recursive: true, force: true }); });
  const held = `${JSON.stringify({ pid: other.pid, addr: '127.0.0.1:50051', start: processStart(other.pid!) })}\n`;
  fs.writeFileSync(lockFile(home), held);
  assert.throws(() => HomeLock.acquire(home, '127.0.0.1:0'), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, new RegExp(`pid ${other.pid} serving 127\\.0\\.0\\.1:50051`));
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
  assert.equal(fs.readFileSync(lockFile(home), 'utf8'), held);
});

test('a dead holder, or a pid now used by a process started later, is taken over and reported as previous', () => {
  const home = tempHome();
  try {
    // A process that has exited: its pid is gone.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    fs.writeFileSync(lockFile(home), JSON.stringify({ pid: deadPid, addr: '127.0.0.1:1' }));
    const lock = HomeLock.acquire(home, '127.0.0.1:0');
    assert.equal(lock.previous?.pid, deadPid);
    assert.equal(JSON.parse(fs.readFileSync(lockFile(home), 'utf8')).pid, process.pid);
    lock.setAddress('127.0.0.1:4242');
    assert.equal(JSON.parse(fs.readFileSync(lockFile(home), 'utf8')).addr, '127.0.0.1:4242');
    lock.release();
    assert.ok(!fs.existsSync(lockFile(home)), 'release removes the file');

    // Our parent is alive, but the lock names a start time it does not have: the pid was reused.
    if (processStart(process.ppid)) {
      fs.writeFileSync(lockFile(home), JSON.stringify({ pid: process.ppid, addr: 'x:1', start: '1' }));
      const again = HomeLock.acquire(home, '127.0.0.1:0');
      assert.equal(again.previous?.pid, process.ppid);
      again.release();
    }
    // A half-written file (a holder killed between creating and writing it) is no holder either.
    fs.writeFileSync(lockFile(home), '{"pi');
    HomeLock.acquire(home, '127.0.0.1:0').release();
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('of processes starting at once on one home, also taking over a dead holder\'s lock, exactly one gets it', async () => {
  const home = tempHome();
  try {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    fs.writeFileSync(lockFile(home), JSON.stringify({ pid: Number(dead.stdout.trim()), addr: 'dead:1' }));
    // Each child reports, then holds what it got until the test closes its stdin (after all have reported).
    const script = `require('tsx/cjs'); const { HomeLock } = require(${JSON.stringify(path.join(__dirname, 'home-lock.ts'))});
      try { HomeLock.acquire(process.argv[1], 'a:1'); console.log('got'); } catch (e) { console.log(e.code ? e.message : 'refused'); }
      process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
    const children = [0, 1, 2, 3].map(() => spawn(process.execPath, ['-e', script, home], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const runs = await Promise.all(children.map((c) => new Promise<string>((resolve) => {
      let out = '';
      c.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(out.trim()); });
    })));
    await Promise.all(children.map((c) => new Promise((r) => { c.once('exit', r); c.stdin!.end(); })));
    assert.equal(runs.filter((r) => r === 'got').length, 1, runs.join(','));
    assert.equal(runs.filter((r) => r === 'refused').length, 3, runs.join(','));
    assert.ok(!fs.existsSync(lockFile(home)), 'the winner removed its lock at exit');
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
