// The first-run story of `npm start`: on an empty registry, run the whole cycle end to end through the
// public API, command by command, showing each `modelops ...` line as a user would type it:
// synthetic data -> datasets (p90, WTG) -> prod-p90 and WTG versions trained -> evaluated per held-out day
// against prod-p90 -> the winner promoted through the gate -> a 90/10 rollout -> Score answered.
import type { Io } from './command';
import type { Platform } from '../services/serve';
import type { Ready } from './serve-process';
import type { Logger } from '../services/common/logger';

/** The story's model id (one model per language market; the story's market is Hindi). */
export const STORY_MODEL = 'feed-ranker-hi';

/**
 * Sizes of the story's synthetic log: big enough for per-day metrics, small enough for minutes on 2 cores.
 * MODELOPS_STORY_USERS / MODELOPS_STORY_ITEMS / MODELOPS_STORY_EPOCHS shrink it (the test does).
 */
export const STORY_DATA = {
  users: Number(process.env.MODELOPS_STORY_USERS ?? 2000),
  items: Number(process.env.MODELOPS_STORY_ITEMS ?? 300),
  days: 7,
  seed: 7,
  epochs: Number(process.env.MODELOPS_STORY_EPOCHS ?? 3),
};

type RunCli = (argv: string[], opts?: { quiet?: boolean }) => Promise<any>;
/** Runs one command for people (its table goes to the story's output); resolves with the exit code. */
type ShowCli = (argv: string[]) => Promise<number>;

/** Waits until the scoring service serves `arms` (a change reaches it through NOTIFY, asynchronously). */
async function waitForArms(cli: RunCli, arms: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const st = await cli(['score', 'status', STORY_MODEL], { quiet: true });
    const m = (st.models ?? []).find((x: { model: string }) => x.model === STORY_MODEL);
    const have = (m?.arms ?? []).map((a: { arm: string }) => a.arm);
    if (arms.every((a) => have.includes(a))) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Runs the story; `cli` runs one command in-process with --json and returns its parsed output. */
export async function firstRunStory(io: Io, cli: RunCli, show: ShowCli): Promise<void> {
  const say = (text: string) => io.err(`${text}\n`);
  const models = await cli(['models', 'list']);
  if ((models.models ?? []).length > 0) {
    say(`The registry has models already (${models.models.map((m: { id?: string; name?: string }) => m.id ?? m.name).join(', ')}): skipping the first-run story.`);
    return;
  }
  say('\nThe registry is empty: running the seed\'s story end to end (about 3-6 minutes on 2 cores).\n');
  const d = STORY_DATA;
  say('1/7  data: a seeded synthetic watch log with a real duration bias');
  const gen = await cli(['data', 'generate', '--users', String(d.users), '--items', String(d.items), '--days', String(d.days), '--seed', String(d.seed)]);
  const source = gen.source as string;

  say('2/7  features: two datasets over the same 7-day window (60% trains, the rest is held out per day)');
  const p90 = await cli(['data', 'build', '--source', source, '--window', 'last-7d', '--label', 'p90', '--task', 'binary']);
  const wtg = await cli(['data', 'build', '--source', source, '--window', 'last-7d', '--label', 'wtg', '--task', 'binary', '--buckets', 'equi-quantile:10']);
  const wtgItem = await cli(['data', 'build', '--source', source, '--window', 'last-7d', '--label', 'wtg', '--task', 'binary', '--buckets', 'item']);
  const wtgReg = await cli(['data', 'build', '--source', source, '--window', 'last-7d', '--label', 'wtg', '--task', 'regression', '--buckets', 'equi-quantile:10']);

  say('3/7  training: prod-p90 (completion label), prod-wtg-1 (WTG regression), prod-wtg-2 (item-level WTG, modified two-tower)');
  await cli(['models', 'create', STORY_MODEL, '--description', 'Hindi short-video feed ranker (the seed\'s market)']);
  const train = (name: string, dataset: string, arch: string, task: string) =>
    cli(['train', STORY_MODEL, '--name', name, '--dataset', dataset, '--arch', arch, '--task', task, '--epochs', String(d.epochs), '--follow']);
  await train('prod-p90', p90.id, 'two-tower-base', 'binary');
  await cli(['promote', STORY_MODEL, 'prod-p90', '--reason', 'first production version']);
  await cli(['alias', 'set', STORY_MODEL, 'baseline', 'prod-p90']);
  await train('prod-wtg-1', wtgReg.id, 'two-tower-base', 'regression');
  await train('prod-wtg-2', wtgItem.id, 'modified-two-tower', 'binary');

  say('4/7  evaluation: per user, per held-out day, against prod-p90, on the WTG target');
  // The winner is chosen on GAUC (per-user AUC, impression-weighted): recall@K saturates on short per-day lists.
  const results: { name: string; gain: number }[] = [];
  for (const name of ['prod-wtg-1', 'prod-wtg-2']) {
    const ev = await cli(['evaluate', STORY_MODEL, name, '--baseline', 'prod-p90', '--dataset', wtg.id, '--target', 'wtg', '--resamples', '200']);
    const gain = Number(ev.delta?.overall?.gauc?.delta);
    results.push({ name, gain: Number.isFinite(gain) ? gain : -Infinity });
  }
  await show(['compare', STORY_MODEL, 'prod-p90', 'prod-wtg-1', 'prod-wtg-2', '--dataset', wtg.id, '--target', 'wtg']);
  results.sort((a, b) => b.gain - a.gain);
  const winner = results[0].name;
  const other = results[1].name;

  say(`5/7  promotion: ${winner} has the larger GAUC gain over prod-p90 (${results.map((r) => `${r.name} ${r.gain >= 0 ? '+' : ''}${r.gain.toFixed(4)}`).join(', ')}); the gate checks it on every held-out day`);
  let promoted = winner;
  if ((await show(['promote', STORY_MODEL, winner])) !== 0) {
    say(`     the gate refused ${winner}; prod-p90 stays in production`);
    promoted = 'prod-p90';
  }

  say('6/7  rollout: 90/10 between production and the other candidate, with a watch-time guardrail');
  const treatment = promoted === winner ? other : winner;
  await show(['rollout', 'start', STORY_MODEL, `${treatment}=10`, '--guardrail', 'watch_time<-3%@1000', '--reason', 'first-run story']);
  await waitForArms(cli, [promoted, treatment]);

  say('7/7  scoring: Score answered for a few users (each stays in one arm)');
  const items = Array.from({ length: 20 }, (_, i) => `v${i}`).join(',');
  for (const user of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8']) {
    const r = await cli(['score', STORY_MODEL, '--user', user, '--items', items, '--top-k', '3']);
    say(`     ${user}: arm ${r.arm}, version ${r.version_name}, top 3 ${r.items.map((x: { item_id: string }) => x.item_id).join(' ')}`);
  }
}

/** Prints how to call the running platform. */
export function howToCall(io: Io, ready: Ready): void {
  io.err([
    '',
    `modelops is serving on ${ready.addr}. In another terminal:`,
    `  export MODELOPS_ADDR=${ready.addr}`,
    `  npx modelops versions list ${STORY_MODEL}`,
    `  npx modelops history ${STORY_MODEL}`,
    `  npx modelops rollout status ${STORY_MODEL}`,
    `  npx modelops score ${STORY_MODEL} --user u42 --items v1,v2,v3,v4,v5`,
    `  grpcurl -plaintext ${ready.addr} list`,
    'Ctrl-C stops it.',
    '',
  ].join('\n'));
}

export type { Platform, Logger };
