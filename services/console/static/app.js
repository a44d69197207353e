// The console's page: hash routes (#/, #/models/M, #/models/M/evaluations/ID, #/models/M/rollouts/ID,
// #/experiments/ID), each
// rendered from the console's JSON API with DOM nodes (text only, never HTML from data). Plots are the
// Chart.js configurations the API builds (services/console/chart-spec.ts), drawn as they come.
'use strict';

const main = document.getElementById('main');
const tokenForm = document.getElementById('token-form');
const forget = document.getElementById('forget');
const TOKEN_KEY = 'modelops-token';

function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
  for (const c of children) n.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return n;
}

function link(href, text) { return el('a', { href }, text); }

function when(ts) {
  if (!ts || ts.seconds === undefined) return '';
  return new Date(Number(ts.seconds) * 1000).toISOString().replace('.000Z', 'Z');
}

function fmt(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v == null ? '' : String(v);
  return Math.abs(v) >= 1000 || v === Math.round(v) ? String(v) : v.toPrecision(4);
}

function state(s) { return String(s || '').replace(/^[A-Z]+_STATE_/, '').toLowerCase(); }

function table(columns, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c[0])))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...columns.map((c) => {
      const v = c[1](r);
      return el('td', typeof v === 'number' ? { class: 'num' } : {}, v);
    })))));
}

class NeedToken extends Error {}

async function api(path) {
  const headers = token() ? { authorization: `Bearer ${token()}` } : {};
  const res = await fetch(path, { headers });
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (res.status === 401) throw new NeedToken(body.error);
  if (!res.ok) throw new Error(`${res.status}: ${body.error}`);
  return body;
}

function charts(specs) {
  const box = el('div', { class: 'charts' });
  for (const spec of specs) {
    const canvas = el('canvas', { width: '520', height: '300', 'data-chart': spec.id, 'aria-label': spec.title, role: 'img' });
    box.append(el('div', { class: 'chart' }, canvas));
    // eslint-disable-next-line no-undef
    new Chart(canvas, spec.config);
  }
  return box;
}

async function modelsPage() {
  const [{ models }, { experiments }] = await Promise.all([api('/api/models'), api('/api/experiments')]);
  return [el('h1', {}, 'Models'), models.length === 0 ? el('p', {}, 'No models yet.') : table([
    ['model', (m) => link(`#/models/${encodeURIComponent(m.id)}`, m.id)],
    ['description', (m) => m.description],
    ['aliases', (m) => (m.aliases || []).map((a) => `${a.alias} → v${a.version_number}`).join(', ')],
    ['created', (m) => when(m.create_time)],
  ], models),
  el('h2', {}, 'Experiments'), experiments.length === 0 ? el('p', {}, 'No experiments yet (modelops experiment run FILE).') : table([
    ['experiment', (e) => link(`#/experiments/${encodeURIComponent(e.id)}`, e.id)], ['title', (e) => e.title], ['state', (e) => state(e.state)],
    ['progress', (e) => `${Math.round(100 * (e.progress || 0))}%`],
    ['rows done', (e) => `${(e.rows || []).filter((r) => r.state === 'done').length}/${(e.rows || []).length}`],
    ['phase', (e) => e.phase], ['created', (e) => when(e.create_time)],
  ], experiments)];
}

async function experimentPage(id) {
  const { experiment: e } = await api(`/api/experiments/${encodeURIComponent(id)}`);
  const report = e.report_json ? JSON.parse(e.report_json) : null;
  const out = [
    el('h1', {}, `Experiment ${e.title}`), el('p', {}, link('#/', '← models and experiments')),
    table([['field', (r) => r[0]], ['value', (r) => r[1]]], [
      ['id', e.id], ['state', state(e.state)], ['progress', `${Math.round(100 * (e.progress || 0))}%`], ['phase', e.phase], ['error', e.error || ''],
      ['code', e.code_version], ['created', when(e.create_time)], ['updated', when(e.update_time)],
    ]),
    el('h2', {}, 'Rows'), table([
      ['row', (r) => r.name], ['state', (r) => r.state], ['versions', (r) => (r.versions || []).join(' ')],
      ['evaluations', (r) => (r.evaluation_ids || []).join(' ')], ['detail', (r) => r.detail],
    ], e.rows || []),
  ];
  if (!report) {
    out.push(el('p', {}, 'No report yet.'));
    return out;
  }
  out.push(el('h2', {}, 'The seed document\'s claims'), table([
    ['row', (c) => c.row], ['claim', (c) => c.text], ['verdict', (c) => c.verdict], ['measured', (c) => c.detail],
  ], report.claims || []));
  if (report.findings && report.findings.length) out.push(el('h2', {}, 'Findings'), el('ul', {}, ...report.findings.map((f) => el('li', {}, f))));
  const plots = Object.entries(e.plots || {}).sort(([a], [b]) => a.localeCompare(b));
  if (plots.length) {
    // SVG documents drawn by the runner, shown as images (an <img> runs no script in them).
    out.push(el('h2', {}, 'Plots'), el('div', { class: 'charts' }, ...plots.map(([name, svg]) => el('div', { class: 'chart' },
      el('img', { src: `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`, alt: name, 'data-plot': name })))));
  }
  out.push(el('h2', {}, 'Report'), el('pre', { class: 'report' }, e.report_markdown || ''));
  return out;
}

async function modelPage(model) {
  const m = encodeURIComponent(model);
  const [detail, evals, rollouts] = await Promise.all([
    api(`/api/models/${m}`), api(`/api/models/${m}/evaluations`),
    api(`/api/models/${m}/rollouts`).catch((err) => ({ rollouts: [], error: err.message })),
  ]);
  return [
    el('h1', {}, `Model ${model}`), el('p', {}, detail.model.description || ''),
    el('h2', {}, 'Aliases'), table([['alias', (a) => a.alias], ['version', (a) => `${a.version_name} (v${a.version_number})`], ['set by', (a) => a.updated_by]], detail.model.aliases || []),
    el('h2', {}, 'Versions'), table([
      ['#', (v) => v.number], ['name', (v) => v.version_name], ['arch', (v) => v.arch], ['label', (v) => v.label],
      ['dataset', (v) => v.dataset_id],
      ['training metrics', (v) => Object.entries(v.training_metrics || {}).map(([k, x]) => `${k}=${fmt(x)}`).join(' ')],
    ], detail.versions || []),
    el('h2', {}, 'Evaluations'), table([
      ['evaluation', (e) => link(`#/models/${m}/evaluations/${encodeURIComponent(e.id)}`, e.id)], ['state', (e) => state(e.state)],
      ['candidate', (e) => e.candidate_version], ['baseline', (e) => e.baseline_version], ['target', (e) => e.target], ['created', (e) => when(e.create_time)],
    ], evals.evaluations || []),
    el('h2', {}, 'Rollouts'), rollouts.error ? el('p', { class: 'error' }, rollouts.error) : table([
      ['rollout', (r) => link(`#/models/${m}/rollouts/${encodeURIComponent(r.id)}`, r.id)], ['state', (r) => state(r.state)],
      ['arms', (r) => (r.arms || []).map((a) => `${a.version}:${a.weight}%`).join(' ')], ['started', (r) => when(r.start_time)],
    ], rollouts.rollouts || []),
    el('h2', {}, 'Audit history'), table([
      ['time', (a) => when(a.time)], ['action', (a) => a.action], ['actor', (a) => a.actor], ['alias', (a) => a.alias],
      ['from', (a) => a.from_version || ''], ['to', (a) => a.to_version || ''], ['outcome', (a) => a.outcome], ['reason', (a) => a.reason],
    ], detail.audit || []),
  ];
}

async function evaluationPage(model, id) {
  const { evaluation: e, report, charts: specs } = await api(`/api/models/${encodeURIComponent(model)}/evaluations/${encodeURIComponent(id)}`);
  const out = [
    el('h1', {}, `Evaluation ${e.id}`),
    el('p', {}, link(`#/models/${encodeURIComponent(model)}`, `← ${model}`)),
    table([['field', (r) => r[0]], ['value', (r) => r[1]]], [
      ['state', state(e.state)], ['candidate', e.candidate_version], ['baseline', e.baseline_version || '(none)'], ['dataset', e.dataset_id],
      ['target', e.target], ['protocol', e.protocol], ['created', when(e.create_time)],
    ]),
  ];
  if (!report) out.push(el('p', {}, 'No report yet.'));
  else if (specs.length === 0) out.push(el('p', {}, 'The report has no per-day deltas (no baseline).'));
  else out.push(el('h2', {}, 'Per-day delta against the baseline, with 95% bootstrap intervals'), charts(specs));
  return out;
}

async function rolloutPage(model, id) {
  const { report, charts: specs } = await api(`/api/models/${encodeURIComponent(model)}/rollouts/${encodeURIComponent(id)}`);
  const est = (x) => (x ? `${fmt(x.value)} [${fmt(x.ci_low)}, ${fmt(x.ci_high)}]` : '');
  return [
    el('h1', {}, `Rollout ${id}`), el('p', {}, link(`#/models/${encodeURIComponent(model)}`, `← ${model}`)),
    el('h2', {}, 'Readout per arm (95% intervals)'), table([
      ['arm', (a) => a.arm + (a.control ? ' (control)' : '')], ['views', (a) => Number(a.views)], ['users', (a) => Number(a.users)],
      ['watch time (s)', (a) => est(a.watch_time)], ['wtg rate', (a) => est(a.wtg_rate)], ['completion rate', (a) => est(a.completion_rate)],
    ], report.arms || []),
    el('h2', {}, 'Differences to control'), table([
      ['arm', (d) => d.arm], ['metric', (d) => d.metric], ['absolute', (d) => est(d.absolute)], ['relative', (d) => est(d.relative)],
    ], report.differences || []),
    ...(specs.length ? [el('h2', {}, 'Effect by exposure day'), charts(specs)] : []),
    ...(report.breaches && report.breaches.length ? [el('h2', {}, 'Guardrail breaches'), el('ul', {}, ...report.breaches.map((b) => el('li', {}, b)))] : []),
  ];
}

async function render() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  tokenForm.hidden = true;
  forget.hidden = !token();
  main.replaceChildren('Loading…');
  try {
    let nodes;
    if (parts[0] === 'models' && parts[1] && parts[2] === 'evaluations' && parts[3]) nodes = await evaluationPage(parts[1], parts[3]);
    else if (parts[0] === 'models' && parts[1] && parts[2] === 'rollouts' && parts[3]) nodes = await rolloutPage(parts[1], parts[3]);
    else if (parts[0] === 'models' && parts[1]) nodes = await modelPage(parts[1]);
    else if (parts[0] === 'experiments' && parts[1]) nodes = await experimentPage(parts[1]);
    else nodes = await modelsPage();
    main.replaceChildren(...nodes);
    main.setAttribute('data-ready', location.hash || '#/');
  } catch (err) {
    if (err instanceof NeedToken) {
      tokenForm.hidden = false;
      main.replaceChildren(el('p', { class: 'error' }, token() ? `The token was refused: ${err.message}` : 'A token is needed to read.'));
    } else {
      main.replaceChildren(el('p', { class: 'error' }, err.message));
    }
    main.setAttribute('data-ready', 'error');
  }
}

tokenForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
  render();
});
forget.addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); render(); });
window.addEventListener('hashchange', render);
render();
