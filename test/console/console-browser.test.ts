// The web console end to end in headless Chromium (Debian's `chromium`, driven by playwright-core): a real
// platform with the console on a free port, a model with versions, an alias (an audit event) and an evaluation
// report with per-day deltas; the pages show them, and the plots' canvases hold drawn pixels (read back from a
// screenshot). A second platform requires tokens for reads: the page asks for one, then reads with it.
// Skips with a message where Chromium or playwright-core is missing (.ci/run installs Chromium where it can).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { startTestPlatform, clientOf, call, type TestPlatform } from '../helpers/platform';
import { decodePng } from '../helpers/png';
import { RegistryStore } from '../../registry/registry-store';
import { modelWithVersions } from '../rollout/fixtures';
import { ExperimentStore } from '../../registry/experiment-store';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

type Playwright = typeof import('playwright-core');

function browserOrSkip(t: TestContext): Playwright | undefined {
  if (!fs.existsSync(CHROMIUM)) {
    t.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    return undefined;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('playwright-core') as Playwright;
  } catch {
    t.skip('playwright-core is not installed (a devDependency): run npm ci');
    return undefined;
  }
}

/** A day's delta with its interval: [lo, hi] around `d`. */
const cell = (d: number, lo: number, hi: number) => ({ candidate: 0.7 + d, baseline: 0.7, delta: d, relative: d / 0.7, ci95: [lo, hi] });

/** Seeds model `clicks` with versions a and b, alias baseline -> a (through the API), and evaluation ev-1 of b against a. */
async function seed(tp: TestPlatform): Promise<void> {
  const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await store.createModel({ id: 'clicks', description: 'two-tower on wtg', createdBy: 'test' });
  for (const name of ['a', 'b']) {
    await store.registerVersion({ model: 'clicks', name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:10',
      datasetId: 'ds-1', hyperparameters: {}, trainingMetrics: { auc: name === 'a' ? 0.71 : 0.74 }, parity: null, backend: 'test', dataWindow: '',
      files: [{ name: 'model.json', data: Buffer.from(name) }], createdBy: 'test' });
  }
  const admin = await tp.target('admin');
  await call(admin, clientOf('RegistryService', admin), 'SetAlias', { model: 'clicks', alias: 'baseline', version: 'a', reason: 'first baseline' });
  const byDay = {
    '2022-05-06': { auc: cell(0.02, 0.005, 0.035), 'ndcg@10': cell(0.01, -0.004, 0.024) },
    '2022-05-07': { auc: cell(0.03, 0.012, 0.048), 'ndcg@10': cell(0.015, 0.001, 0.029) },
    '2022-05-08': { auc: cell(0.025, 0.008, 0.042), 'ndcg@10': cell(-0.002, -0.018, 0.014) },
  };
  const report = { protocol: 'viewed', protocols: { viewed: { delta: { overall: {}, by_day: byDay } } } };
  await store.saveEvaluation({ id: 'ev-1', model: 'clicks', candidate: 2, baseline: 1, datasetId: 'ds-1', target: 'wtg',
    state: 'succeeded', report, createdBy: 'test' });
}

/**
 * Pixels of a chart screenshot drawn in the plots' blues: the interval band (rgba(54,118,202,0.2) over white is
 * about (235,241,250), blue 15 above red) and the delta line (31,78,140); the white page, grey grid and black
 * labels have blue = red and do not count.
 */
function bluePixels(png: Buffer): number {
  const { rgba } = decodePng(png);
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i + 2] >= rgba[i] + 10) n++;
  return n;
}

test('the console shows models, versions, aliases, audit and an evaluation whose plots render', async (t) => {
  const pw = browserOrSkip(t);
  if (!pw) return;
  const tp = await startTestPlatform({ services: ['registry', 'evaluation', 'rollout'], config: { consoleAddr: '127.0.0.1:0' } });
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await seed(tp);
    const base = tp.platform.consoleUrl;
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(base);
    await page.waitForSelector('main[data-ready="#/"]');
    const models = await page.textContent('main');
    assert.match(models!, /clicks/);
    assert.match(models!, /baseline → v1/);

    await page.goto(`${base}#/models/clicks`);
    await page.waitForSelector('main[data-ready="#/models/clicks"]');
    const detail = (await page.textContent('main'))!;
    for (const s of ['Versions', 'auc=0.7100', 'auc=0.7400', 'a (v1)', 'ev-1', 'Audit history', 'first baseline']) assert.ok(detail.includes(s), `model page shows ${s}`);

    await page.goto(`${base}#/models/clicks/evaluations/ev-1`);
    await page.waitForSelector('main[data-ready="#/models/clicks/evaluations/ev-1"]');
    assert.equal(await page.locator('canvas[data-chart]').count(), 2, 'one plot per metric of the viewed protocol (auc, ndcg@10)');
    const auc = page.locator('canvas[data-chart="viewed:auc"]');
    const shot = await auc.screenshot();
    // 520x300 canvas (156,000 pixels); the band between the interval bounds spans the plot area's width and
    // 0.03-0.04 of its 0.05 height: tens of thousands of pixels. An empty canvas, or one with only axes and
    // labels, has none.
    const blue = bluePixels(shot);
    assert.ok(blue > 20_000, `the auc plot draws its band and line (${blue} blue pixels)`);

    // An experiment with a report and one plot: listed on the first page with its progress, its page shows the
    // claims and draws the plot (an SVG image with a real size).
    const exps = new ExperimentStore(tp.platform.ctx.db.dataSource);
    const { experiment } = await exps.create({ title: 'seed-table', specJson: '{"name":"seed-table"}', rowNames: ['prod-p90', 'prod-wtg-2'], codeVersion: 'test', createdBy: 'test' });
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#1f77b4"/></svg>';
    await exps.update(experiment.id, { state: 'succeeded', progress: 1, phase: 'done',
      rows: [{ name: 'prod-wtg-2', state: 'done', detail: '', datasetIds: [], versions: ['prod-wtg-2', 'prod-wtg-2-s2'], evaluationIds: ['ev-9'], trainingSeconds: [3, 4] }],
      reportJson: JSON.stringify({ claims: [{ row: 'prod-wtg-2', text: 'consistent results across days', verdict: 'reproduced', detail: 'map per gated day: +0.01, +0.02' }], findings: ['a finding'] }),
      reportMarkdown: '# Experiment seed-table', plots: { 'score-length-correlation.svg': svg } });
    await page.goto(base);
    await page.waitForSelector('main[data-ready="#/"]');
    assert.match((await page.textContent('main'))!, new RegExp(`${experiment.id}.*seed-table.*succeeded.*100%.*1/2`));
    await page.goto(`${base}#/experiments/${experiment.id}`);
    await page.waitForSelector(`main[data-ready="#/experiments/${experiment.id}"]`);
    const ex = (await page.textContent('main'))!;
    for (const s of ['prod-wtg-2-s2', 'consistent results across days', 'reproduced', 'a finding', '# Experiment seed-table']) assert.ok(ex.includes(s), `experiment page shows ${s}`);
    assert.equal(await page.locator('img[data-plot="score-length-correlation.svg"]').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 300);

    // A rollout (no outcomes yet): its page shows each arm of the readout, the control marked.
    await modelWithVersions(tp, 'feed', ['prod-p90', 'prod-wtg-2']);
    const admin = await tp.target('admin');
    const { rollout } = await call<object, { rollout: { id: string } }>(admin, clientOf('RolloutService', admin), 'StartRollout',
      { model: 'feed', arms: [{ version: 'prod-wtg-2', weight: 10 }], reason: 'console test' });
    await page.goto(`${base}#/models/feed`);
    await page.waitForSelector('main[data-ready="#/models/feed"]');
    assert.match((await page.textContent('main'))!, new RegExp(`${rollout.id}.*active.*prod-wtg-2:10%`));
    await page.goto(`${base}#/models/feed/rollouts/${rollout.id}`);
    await page.waitForSelector(`main[data-ready="#/models/feed/rollouts/${rollout.id}"]`);
    const ro = (await page.textContent('main'))!;
    assert.ok(ro.includes('Readout per arm') && ro.includes('prod-p90 (control)') && ro.includes('prod-wtg-2'), ro);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await tp.stop();
  }
});

test('with tokens required for reads, the page asks for a token once and reads with it', async (t) => {
  const pw = browserOrSkip(t);
  if (!pw) return;
  const tp = await startTestPlatform({ services: ['registry', 'evaluation', 'rollout'], config: { consoleAddr: '127.0.0.1:0', requireTokenForReads: true } });
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await seed(tp);
    const base = tp.platform.consoleUrl;
    // The JSON API itself refuses an anonymous read, and a write method.
    assert.equal((await fetch(`${base}api/models`)).status, 401);
    assert.equal((await fetch(`${base}api/models`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status, 401);
    assert.equal((await fetch(`${base}api/models`, { method: 'POST' })).status, 405);

    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForSelector('main[data-ready="error"]');
    assert.ok(await page.isVisible('#token-form'), 'the page asks for a token');
    assert.doesNotMatch((await page.textContent('main'))!, /clicks/);

    await page.fill('#token', (await tp.target('reader')).token!);
    await page.click('#token-form button[type="submit"]');
    await page.waitForSelector('main[data-ready="#/"]');
    assert.match((await page.textContent('main'))!, /clicks/);
    // Entered once: the next page reads with the same token without asking.
    await page.goto(`${base}#/models/clicks`);
    await page.waitForSelector('main[data-ready="#/models/clicks"]');
    assert.ok(!(await page.isVisible('#token-form')));
  } finally {
    await browser.close();
    await tp.stop();
  }
});
