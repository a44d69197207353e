// The first-run story of `npm start`: on an empty registry, run the whole cycle end to end through the
// public API, command by command, showing each `modelops ...` line as a user would type it:
// synthetic data -> datasets (p90, WTG) -> prod-p90 and WTG versions trained -> evaluated per held-out day
// against prod-p90 -> the winner promoted through the gate -> a 90/10 rollout -> Score answered.
import { readVar } from '../core/config';
import type { Io } from './command';
import type { Platform } from '../services/serve';
import type { Ready } from './serve-process';
import type { Logger } from '../services/common/logger';
import type { SyntheticParams } from '../ml/data/synthetic';
import type { SimulatedOutcomes } from './story-outcomes';

/** The story's model id (one model per language market; the story's market is Hindi). */
export const STORY_MODEL = 'feed-ranker-hi';

/**
 * Sizes of the story's synthetic log: big enough for per-day metrics, small enough for minutes on 2 cores.
 * MODELOPS_STORY_USERS / MODELOPS_STORY_ITEMS / MODELOPS_STORY_EPOCHS shrink it (the test does).
 */
export function storyData(): { users: number; items: number; days: number; seed: number; epochs: number } {
  return { users: readVar('MODELOPS_STORY_USERS'), items: readVar('MODELOPS_STORY_ITEMS'), days: 7, seed: 7, epochs: readVar('MODELOPS_STORY_EPOCHS') };
}

type RunCli = (argv: string[], opts?: { quiet?: boolean; allowFail?: boolean }) => Promise<any>;
/** Replays simulated users through Score and RecordOutcomes for the rollout (see cli/story-outcomes.ts). */
type Simulate = (p: SyntheticParams) => Promise<SimulatedOutcomes>;
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
export async function firstRunStory(io: Io, cli: RunCli, show: ShowCli, simulate: Simulate): Promise<void> {
  const say = (text: string) => io.err(`${text}\n`);
  const models = await cli(['models', 'list']);
  if ((models.models ?? []).length > 0) {
    say(`The registry has models already (${models.models.map((m: { id?: string; name?: string }) => m.id ?? m.name).join(', ')}): skipping the first-run story.`);
    return;
  }
  say('\nThe registry is empty: running the first-run story end to end (about 3-6 minutes on 2 cores).\n');
  const d = storyData();
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
  // Each WTG version trained on its own dataset; both are judged on one, so the gate reads evaluations on it.
  await cli(['gate', 'set', STORY_MODEL, '--dataset', wtg.id, '--target', 'wtg']);
  await train('prod-wtg-1', wtgReg.id, 'two-tower-base', 'regression');
  await train('prod-wtg-2', wtgItem.id, 'modified-two-tower', 'binary');

  say('4/7  evaluation: per user, per held-out day, against prod-p90, on the WTG target, in both protocols');
  // The winner is chosen on GAUC (per-user AUC, impression-weighted) of the viewed protocol: recall@K saturates
  // on short per-day lists, and GAUC is informative there.
  const results: Candidate[] = [];
  for (const name of ['prod-wtg-1', 'prod-wtg-2']) {
    const ev = await cli(['evaluate', STORY_MODEL, name, '--baseline', 'prod-p90', '--dataset', wtg.id, '--target', 'wtg', '--resamples', '200']);
    const viewed: Section | undefined = ev.protocols?.viewed ?? ev;
    const gain = Number(viewed?.delta?.overall?.[WINNER_METRIC]?.delta);
    results.push({ name, gain: Number.isFinite(gain) ? gain : -Infinity, evaluationId: ev.evaluation?.id ?? '', protocols: { viewed, catalog: ev.protocols?.catalog } });
  }
  await show(['compare', STORY_MODEL, 'prod-p90', 'prod-wtg-1', 'prod-wtg-2', '--dataset', wtg.id, '--target', 'wtg']);
  results.sort((a, b) => b.gain - a.gain);
  const winner = results[0].name;
  const other = results[1].name;

  say(`5/7  promotion: ${winner} has the larger GAUC gain over prod-p90 (${results.map((r) => `${r.name} ${signed(r.gain)}`).join(', ')}); the gate checks it on every held-out day`);
  // The dry run returns the gate's checks as data for the summary; the promotion itself is shown as a person sees it.
  const dry = await cli(['promote', STORY_MODEL, winner, '--dry-run'], { quiet: true, allowFail: true });
  let promoted = winner;
  if ((await show(['promote', STORY_MODEL, winner])) !== 0) {
    say(`     the gate refused ${winner}; prod-p90 stays in production`);
    promoted = 'prod-p90';
  }

  say('6/7  rollout: 90/10 between production and the other candidate, with a watch-time guardrail');
  const treatment = promoted === winner ? other : winner;
  const guardrail = 'watch_time<-3%@1000';
  await show(['rollout', 'start', STORY_MODEL, `${treatment}=10`, '--guardrail', guardrail, '--reason', 'first-run story']);
  await waitForArms(cli, [promoted, treatment]);
  say('     simulated users: each is scored on the items they viewed on the log\'s last day; the views an arm ranks in its\n' +
    '     top 3 come back through RecordOutcomes with their logged watch time (the generator\'s known preference)');
  const sim = await simulate({ users: d.users, items: d.items, days: d.days, seed: d.seed });
  say(`     ${sim.users.toLocaleString('en-US')} users scored (${Object.entries(sim.arms).map(([a, n]) => `${a} ${n}`).join(', ')}), ${sim.accepted.toLocaleString('en-US')} outcomes recorded` +
    `${sim.failed ? `; ${sim.failed} Score calls failed (last: ${sim.lastError})` : ''}${sim.breaches.length ? `; guardrail breached: ${sim.breaches.join('; ')}` : ''}`);
  await show(['rollout', 'status', STORY_MODEL]);
  const status = await cli(['rollout', 'status', STORY_MODEL], { quiet: true });

  say('7/7  scoring: Score answered for a few users (each stays in one arm)');
  const items = Array.from({ length: 20 }, (_, i) => `v${i}`).join(',');
  for (const user of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8']) {
    const r = await cli(['score', STORY_MODEL, '--user', user, '--items', items, '--top-k', '3']);
    say(`     ${user}: arm ${r.arm}, version ${r.version_name}, top 3 ${r.items.map((x: { item_id: string }) => x.item_id).join(' ')}`);
  }
  say(storySummary({ dataset: wtg.id, results, winner, promoted, gate: dry, rollout: status, guardrail }));
}

/** The metric the story picks its winner on. */
const WINNER_METRIC = 'gauc';

/** One metric's candidate-minus-baseline entry, as reports carry it. */
interface DeltaCell { candidate: number | null; baseline: number | null; delta: number | null; relative: number | null; ci95: [number, number] | null }

/** The parts of one protocol's report the summary reads. */
interface Section {
  delta?: { overall?: Record<string, DeltaCell> };
  sanity?: Record<string, { overall?: Record<string, number | null> }>;
  informative?: Record<string, { informative: boolean; reason: string | null }>;
  beats_baselines?: Record<string, { beats: boolean; by_baseline: Record<string, boolean> }>;
  median_list_length?: number;
}

/** A compared version with its evaluation's protocol sections. */
interface Candidate { name: string; gain: number; evaluationId: string; protocols: { viewed?: Section; catalog?: Section } }

const signed = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);
const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`);

/** One version against the baseline on one protocol's winner metric, with its interval and what it means. */
function deltaLine(name: string, protocol: string, s: Section | undefined): string {
  const c = s?.delta?.overall?.[WINNER_METRIC];
  if (!c || c.delta === null) return `${name}, ${protocol}: no ${WINNER_METRIC} delta in the report`;
  const ci = c.ci95 ? ` [95% ${signed(c.ci95[0])}, ${signed(c.ci95[1])}]` : '';
  const verdict = !c.ci95 ? '' : c.ci95[0] > 0 ? ': better, the interval excludes 0' : c.ci95[1] < 0 ? ': worse, the interval excludes 0' : ': not distinguishable, the interval includes 0';
  const info = s?.informative?.[WINNER_METRIC];
  return `${name}, ${protocol} protocol: ${WINNER_METRIC} ${c.candidate?.toFixed(4)} vs prod-p90 ${c.baseline?.toFixed(4)}, ${signed(c.delta)} (${pct(c.relative)})${ci}${verdict}` +
    `${info && !info.informative ? ` (uninformative here: ${info.reason})` : ''}`;
}

/** The sanity baselines of one protocol on the winner metric, and whether the version beats every one. */
function sanityLine(name: string, protocol: string, s: Section | undefined): string {
  const names = Object.keys(s?.sanity ?? {});
  if (!names.length) return `${protocol}: no sanity baselines in the report`;
  const vals = names.map((b) => `${b} ${Number(s!.sanity![b].overall?.[WINNER_METRIC]).toFixed(4)}`).join(', ');
  const beats = s?.beats_baselines?.[WINNER_METRIC];
  const lost = beats ? Object.entries(beats.by_baseline).filter(([, v]) => !v).map(([b]) => b) : [];
  return `${protocol}: ${vals}; ${name} ${beats ? (beats.beats ? 'beats every one (interval above 0 overall, ahead on every gated day)' : `does not beat ${lost.join(', ') || 'them all'}`) : 'n/a'}`;
}

/** The readout's value with its interval, e.g. "21.3 s [20.9, 21.7]". */
const est = (e: { value: number; ci_low: number; ci_high: number } | null | undefined, unit = '', digits = 2) =>
  (e ? `${e.value.toFixed(digits)}${unit} [${e.ci_low.toFixed(digits)}, ${e.ci_high.toFixed(digits)}]` : 'n/a');

/** The story's closing summary: what won, by how much, what the gate decided and what the rollout measured. */
export function storySummary(x: { dataset: string; results: Candidate[]; winner: string; promoted: string; gate: any; rollout: any; guardrail: string }): string {
  const w = x.results.find((r) => r.name === x.winner)!;
  const lines = [
    '',
    '==== Summary ====',
    `Target wtg (watch time above its duration group's mean), dataset ${x.dataset}, every held-out day, baseline prod-p90.`,
    `Every evaluation metric is higher-is-better (${WINNER_METRIC}, auc, recall@K, map, mrr, ndcg@K, hit_rate@K); intervals are 95% paired bootstrap over users.`,
    `Winner: ${x.winner} (largest viewed-protocol ${WINNER_METRIC} gain over prod-p90).`,
  ];
  for (const r of x.results) for (const p of ['viewed', 'catalog'] as const) if (r.protocols[p]) lines.push(`  ${deltaLine(r.name, p, r.protocols[p])}`);
  lines.push(`Sanity baselines (${WINNER_METRIC}, same lists; random should be about 0.5):`);
  for (const p of ['viewed', 'catalog'] as const) if (w.protocols[p]) lines.push(`  ${sanityLine(x.winner, p, w.protocols[p])}`);
  const g = x.gate?.gate;
  const failed = (g?.checks ?? []).filter((c: { result: string }) => c.result !== 'pass');
  const gateWord = x.promoted === x.winner ? 'PROMOTED' : 'REFUSED';
  lines.push(`Gate: ${gateWord} ${x.winner}${x.gate?.evaluation_id ? ` on evaluation ${x.gate.evaluation_id}` : ''}` +
    ` (${g ? `${g.checks.length} checks over ${g.days.length} day(s), ${failed.length} failed` : 'no gate ran'}; ${x.gate?.note ?? ''}).`);
  const num = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : String(x));
  // A must-beat check has no threshold: its note says what was compared.
  for (const c of failed.slice(0, 5)) {
    const rule = c.threshold === null || c.threshold === undefined ? '' : ` (needs ${c.op} ${num(c.threshold)})`;
    lines.push(`  failed: ${c.metric} on ${c.day}: ${num(c.candidate)} vs ${num(c.baseline)}${rule}${c.note ? `: ${c.note}` : ''}`);
  }
  lines.push(x.promoted === x.winner ? `Production is ${x.winner}.` : 'Production stays prod-p90: fix what failed (or evaluate another candidate) before promoting.');
  const r = x.rollout;
  const arms: { arm: string; control: boolean; views: number; users: number; watch_time: any; wtg_rate: any; completion_rate: any }[] = r?.arms ?? [];
  lines.push(`Rollout ${r?.rollout?.state ?? 'n/a'} (${(r?.rollout?.arms ?? []).map((a: { version: string; weight: number }) => `${a.version} ${a.weight}%`).join(' / ')}), simulated outcomes; all three metrics higher-is-better:`);
  for (const a of arms) lines.push(`  ${a.arm}${a.control ? ' (control)' : ''}: ${a.views} views, ${a.users} users; watch time ${est(a.watch_time, ' s')}; WTG rate ${est(a.wtg_rate, '', 3)}; completion ${est(a.completion_rate, '', 3)}`);
  for (const d of (r?.differences ?? []).filter((d: { metric: string }) => d.metric === 'watch_time')) {
    lines.push(`  ${d.arm} - control, watch time: ${est(d.absolute, ' s')}, relative ${est(d.relative, '', 3)}`);
  }
  const breaches: string[] = r?.breaches?.map((b: unknown) => (typeof b === 'string' ? b : JSON.stringify(b))) ?? [];
  lines.push(`Guardrail ${x.guardrail}: ${r?.rollout?.state === 'stopped' ? `stopped the rollout (${r.rollout.stop_reason})` : breaches.length ? `breached: ${breaches.join('; ')}` : 'holding (evaluated once the treatment has its minimum views)'}.`);
  return lines.join('\n');
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
    ...(ready.console_url ? [`The web console (read-only): ${ready.console_url}`] : []),
    'Ctrl-C stops it.',
    '',
  ].join('\n'));
}

export type { Platform, Logger };
