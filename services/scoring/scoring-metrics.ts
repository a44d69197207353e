// Prometheus metrics of the scoring service, on the process registry (served at --metrics-addr):
// Score latency per model, version and arm; model-compute time; loaded versions; swaps and load failures;
// item- and user-cache lookups by result (hit rate = hit / (hit + miss)); responses and items of the
// rollouts' exploration slot.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Cumulative cache lookups, read at scrape time. */
export interface CacheTotals {
  item: { hits: number; misses: number };
  user: { hits: number; misses: number };
}

/** The scoring metrics. */
export class ScoringMetrics {
  /** Score latency (seconds) by model, version (resource name) and arm, for calls that succeeded. */
  readonly latency: Histogram<'model' | 'version' | 'arm'>;
  /** Model compute per call (user tower, scores, top-k) by model and version. */
  readonly compute: Histogram<'model' | 'version'>;
  /** The versions loaded per model (production and rollout arms). */
  readonly loaded: Gauge<'model'>;
  /** 1 for each version serving now, by role (production or the rollout arm's name). */
  readonly serving: Gauge<'model' | 'version' | 'name' | 'role'>;
  /** Completed swaps of a model's serving set. */
  readonly swaps: Counter<'model'>;
  /** Versions that failed to load (they never replaced a working one). */
  readonly loadFailures: Counter<'model' | 'version'>;
  /** Cache lookups by cache (item, user) and result (hit, miss). */
  readonly cacheLookups: Counter<'cache' | 'result'>;
  /** Retrieve latency (seconds) by model, version and arm, for calls that succeeded. */
  readonly retrieveLatency: Histogram<'model' | 'version' | 'arm'>;
  /** The canary recall@100 of the retrieval index serving each version (0: exact search). */
  readonly indexRecall: Gauge<'model' | 'version'>;
  /** 1 per version whose latest index build the canary refused (the previous index keeps serving). */
  readonly indexRefused: Gauge<'model' | 'version'>;
  /** Score responses that explored (moved candidates to random positions), by model and arm. */
  readonly exploredResponses: Counter<'model' | 'arm'>;
  /** Candidates moved to random positions by exploring responses, by model and arm. */
  readonly exploredItems: Counter<'model' | 'arm'>;
  private readonly children = new Map<string, { observe(v: number): void }>();

  constructor(registry: Registry, totals: () => CacheTotals, indexes: () => { model: string; version: string; recall: number; refused: boolean }[] = () => []) {
    const registers = [registry];
    this.indexRecall = new Gauge({
      name: 'modelops_scoring_retrieve_index_recall', help: 'Canary recall@100 of the retrieval index serving a version (0: exact search)',
      labelNames: ['model', 'version'], registers,
      collect() { this.reset(); for (const i of indexes()) this.set({ model: i.model, version: i.version }, i.recall); },
    });
    this.indexRefused = new Gauge({
      name: 'modelops_scoring_retrieve_index_refused', help: '1 when a version\'s latest retrieval index build was refused by its recall canary',
      labelNames: ['model', 'version'], registers,
      collect() { this.reset(); for (const i of indexes()) this.set({ model: i.model, version: i.version }, i.refused ? 1 : 0); },
    });
    this.latency = new Histogram({
      name: 'modelops_scoring_score_duration_seconds', help: 'Score latency by model, version and arm (successful calls)',
      labelNames: ['model', 'version', 'arm'], registers,
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    });
    this.retrieveLatency = new Histogram({
      name: 'modelops_scoring_retrieve_duration_seconds', help: 'Retrieve latency by model, version and arm (successful calls)',
      labelNames: ['model', 'version', 'arm'], registers,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    });
    this.compute = new Histogram({
      name: 'modelops_scoring_compute_seconds', help: 'Model compute per Score call: user tower, scores and top-k',
      labelNames: ['model', 'version'], registers,
      buckets: [0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01],
    });
    this.loaded = new Gauge({ name: 'modelops_scoring_loaded_versions', help: 'Model versions loaded for serving', labelNames: ['model'], registers });
    this.serving = new Gauge({
      name: 'modelops_scoring_serving_version', help: '1 per version serving now, by role (production or the arm name)',
      labelNames: ['model', 'version', 'name', 'role'], registers,
    });
    this.exploredResponses = new Counter({
      name: 'modelops_scoring_explored_responses_total', help: 'Score responses whose rollout exploration slot moved candidates to random positions',
      labelNames: ['model', 'arm'], registers,
    });
    this.exploredItems = new Counter({
      name: 'modelops_scoring_explored_items_total', help: 'Candidates moved to uniformly random positions by the exploration slot',
      labelNames: ['model', 'arm'], registers,
    });
    this.swaps = new Counter({ name: 'modelops_scoring_swaps_total', help: 'Atomic swaps of a model\'s serving versions', labelNames: ['model'], registers });
    this.loadFailures = new Counter({
      name: 'modelops_scoring_load_failures_total', help: 'Version loads that failed (the previous version kept serving)',
      labelNames: ['model', 'version'], registers,
    });
    this.cacheLookups = new Counter({
      name: 'modelops_scoring_cache_lookups_total', help: 'Item-vector and user-feature cache lookups by result',
      labelNames: ['cache', 'result'], registers,
      collect() {
        const t = totals();
        this.reset();
        this.inc({ cache: 'item', result: 'hit' }, t.item.hits);
        this.inc({ cache: 'item', result: 'miss' }, t.item.misses);
        this.inc({ cache: 'user', result: 'hit' }, t.user.hits);
        this.inc({ cache: 'user', result: 'miss' }, t.user.misses);
      },
    });
  }

  /** Records one successful call (label children are cached: no label hashing per call). */
  observe(model: string, version: string, arm: string, seconds: number, computeSeconds: number): void {
    // Consecutive calls mostly share their labels: the previous call's children answer without a key string.
    const last = this.last;
    if (last && last.model === model && last.version === version && last.arm === arm) {
      last.lat.observe(seconds);
      last.comp.observe(computeSeconds);
      return;
    }
    const key = `${model}\u0001${version}\u0001${arm}`;
    let lat = this.children.get(key);
    if (!lat) {
      lat = this.latency.labels(model, version, arm);
      this.children.set(key, lat);
    }
    lat.observe(seconds);
    const ckey = `${model}\u0001${version}`;
    let comp = this.children.get(ckey);
    if (!comp) {
      comp = this.compute.labels(model, version);
      this.children.set(ckey, comp);
    }
    comp.observe(computeSeconds);
    this.last = { model, version, arm, lat, comp };
  }
  /** Records one exploring response that moved `items` candidates. */
  observeExplored(model: string, arm: string, items: number): void {
    this.exploredResponses.inc({ model, arm });
    this.exploredItems.inc({ model, arm }, items);
  }
  /** Records one successful Retrieve call. */
  observeRetrieve(model: string, version: string, arm: string, seconds: number): void {
    this.retrieveLatency.observe({ model, version, arm }, seconds);
  }
  private last?: { model: string; version: string; arm: string; lat: { observe(v: number): void }; comp: { observe(v: number): void } };
}
