// `modelops experiment run` end to end through real gRPC, as a user runs it: a tiny synthetic variant of the
// seed table (two rows, two seeds each, one short epoch) on a real platform; the experiment is stored on the
// server (list, show), the report and plots are written, and a second run of the same file resumes it without
// training or evaluating anything again. Also: a server that does not answer is named plainly, and a mistake in
// the file names its field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestPlatform } from '../helpers/platform';
import { runCli } from '../helpers/cli';
import { freePort } from '../../services/common/embedded';

const SEEDS = 2;

const SPEC = `
name: tiny-seed-table
model: tiny-seed-table
attribution: a synthetic log (seed 3)
data:
  source: tiny-synthetic
  generate: { users: 100, items: 20, days: 7, seed: 3 }
  window: last-7d
  min_item_views: 10
baseline: prod-p90
seeds: ${SEEDS}
concurrency: 2
evaluation: { protocol: both, ks: [5], resamples: 50, metrics: [gauc, recall@5] }
defaults: { epochs: 1, batch_size: 512, learning_rate: 0.003, hidden: [8], vector_dim: 4, cat_dim: 2, patience: 0 }
rows:
  - { name: prod-p90, label: p90, task: binary, buckets: "equi-quantile:10", arch: two-tower-base }
  - name: wtg-equi
    label: wtg
    task: binary
    buckets: "equi-quantile:4"
    arch: two-tower-base
    claims:
      - { text: "gauc is higher than prod-p90", expect: higher, metric: gauc }
      - { text: "serving was slow", expect: not-testable, why: "a latency observation" }
`;

test('experiment run: a synthetic seed table through the API, stored, reported, and resumed without new work', { timeout: 240_000 }, async () => {
  const tp = await startTestPlatform();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-exp-'));
  try {
    const file = path.join(dir, 'tiny.yaml');
    fs.writeFileSync(file, SPEC);
    const out = path.join(dir, 'out');
    const env = await tp.env('operator');

    const first = await runCli(['experiment', 'run', file, '--out', out, '--json'], env, undefined, 200_000);
    assert.equal(first.code, 0, first.stderr);
    const r1 = JSON.parse(first.stdout);
    assert.equal(r1.experiment.state, 'succeeded');
    assert.equal(r1.resumed, false);
    assert.equal(r1.counts.versions_trained, 2 * SEEDS);
    assert.equal(r1.counts.evaluations_run, 2);
    // Progress on stderr: each dataset, each seed's training and each evaluation, with a percentage.
    assert.match(first.stderr, /\[ *\d+%\] dataset p90\|binary\|equi-quantile:10: ds-\S+ ready/);
    assert.match(first.stderr, new RegExp(`${SEEDS > 1 ? `wtg-equi-s${SEEDS}` : 'wtg-equi'}: trained in \\d+ s`));
    assert.match(first.stderr, /evaluation wtg-equi vs prod-p90 .*done/);
    const rows = Object.fromEntries(r1.experiment.rows.map((x: { name: string }) => [x.name, x]));
    assert.deepEqual(rows['wtg-equi'].versions, ['wtg-equi', ...Array.from({ length: SEEDS - 1 }, (_, i) => `wtg-equi-s${i + 2}`)]);
    assert.equal(rows['wtg-equi'].state, 'done');

    // The report: the claim checked with its numbers, the seed-pooled interval, the sanity baselines in the catalog protocol.
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    const claim = report.claims.find((c: { text: string }) => c.text === 'gauc is higher than prod-p90');
    assert.ok(['reproduced', 'not reproduced'].includes(claim.verdict), JSON.stringify(claim));
    assert.match(claim.detail, /gauc 0\.\d{4} vs prod-p90 0\.\d{4}, [+-]0\.\d{4} \[[+-]0\.\d{4}, [+-]0\.\d{4}\]/);
    assert.equal(report.claims.find((c: { text: string }) => c.text === 'serving was slow').verdict, 'not testable');
    const wtg = report.rows.find((x: { name: string }) => x.name === 'wtg-equi');
    const gauc = wtg.own.protocols.viewed.overall.gauc;
    assert.equal(gauc.seeds, SEEDS);
    assert.ok(gauc.ci95_user, 'the user-only interval');
    if (SEEDS > 1) {
      assert.ok(gauc.ci95_pooled, 'the seed-pooled interval');
      assert.ok(gauc.ci95_pooled[1] - gauc.ci95_pooled[0] >= gauc.ci95_user[1] - gauc.ci95_user[0] - 1e-9, 'seed variance widens the interval');
    }
    const catalog = wtg.own.protocols.catalog;
    assert.deepEqual(Object.keys(catalog.sanity).sort(), ['item_prior', 'longest', 'popular', 'random', 'shortest']);
    assert.equal(typeof catalog.beats_sanity.gauc.beats, 'boolean');
    assert.ok(Number.isFinite(wtg.correlation.candidate), 'score-vs-length correlation');
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    for (const s of ['## The seed document\'s claims, row by row', 'gauc is higher than prod-p90', 'sanity baselines', 'a synthetic log (seed 3)']) assert.ok(md.includes(s), `report.md has ${s}`);
    const plots = fs.readdirSync(path.join(out, 'plots'));
    for (const p of ['delta-by-day-catalog-gauc.svg', 'delta-by-day-viewed-gauc.svg', 'by-duration-gauc.svg', 'score-length-correlation.svg']) assert.ok(plots.includes(p), `plot ${p}`);
    const svg = fs.readFileSync(path.join(out, 'plots', 'delta-by-day-viewed-gauc.svg'), 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok((svg.match(/<circle /g) ?? []).length >= 2, 'a point per test day');

    // Stored on the server: listed with its progress, shown with its report.
    const list = await runCli(['experiment', 'list', '--json'], env);
    const listed = JSON.parse(list.stdout).experiments;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].state, 'succeeded');
    assert.equal(listed[0].progress, 1);
    const shown = JSON.parse((await runCli(['experiment', 'show', r1.experiment.id, '--json'], env)).stdout);
    assert.equal(shown.report.claims.length, 2);
    // Provenance: the runner's code, every dataset read, the seeds, the specification.
    const prov = shown.experiment.provenance;
    assert.match(prov.code_version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(prov.seeds, Array.from({ length: SEEDS }, (_, i) => 42 + i));
    assert.equal(prov.dataset_ids.length, 2);
    assert.equal(prov.spec.name, 'tiny-seed-table');
    assert.ok(shown.plots.includes('delta-by-day-catalog-gauc.svg'));

    // The same file again: the same experiment, nothing trained or evaluated.
    const second = await runCli(['experiment', 'run', file, '--json'], env, undefined, 120_000);
    assert.equal(second.code, 0, second.stderr);
    const r2 = JSON.parse(second.stdout);
    assert.equal(r2.experiment.id, r1.experiment.id);
    assert.equal(r2.resumed, true);
    assert.deepEqual([r2.counts.versions_trained, r2.counts.evaluations_run, r2.counts.datasets_built], [0, 0, 0]);
    assert.deepEqual([r2.counts.versions_reused, r2.counts.evaluations_reused], [2 * SEEDS, 2]);
    assert.equal(r2.report.rows[1].own.evaluation_id, r1.report.rows[1].own.evaluation_id);

    // Nothing listening: said plainly, naming the address.
    const port = await freePort();
    const down = await runCli(['experiment', 'run', file], { ...env, MODELOPS_ADDR: `127.0.0.1:${port}` });
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, new RegExp(`nothing answers at 127\\.0\\.0\\.1:${port}`));

    // A mistake in the file names its field, before anything is sent.
    fs.writeFileSync(path.join(dir, 'bad.yaml'), SPEC.replace('arch: two-tower-base }', 'arch: three-tower }'));
    const bad = await runCli(['experiment', 'run', path.join(dir, 'bad.yaml')], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /rows\[0\]\.arch: "three-tower" is not one of two-tower-base/);
  } finally {
    await tp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
