// The gate's reading of a seed-group evaluation (`report.group`, built by services/evaluation/seed-group.ts with
// the estimator of ml/metrics/seed-pool.ts): the candidate's and the baseline's values are the group's means
// over seeds, and whether the candidate beats a sanity baseline is decided on the pooled 95% interval (users and
// training seeds), not on the first seed's user-only one. Which metrics are informative and which days are gated
// stay the first seed's: every seed is evaluated on the same lists, and the sanity baselines do not depend on it.
import type { BeatsBaselines, GateInput, GateProtocol, IntervalKind, MetricSeries } from './promotion-gate';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const objectOr = <T>(x: unknown): T | undefined => (x && typeof x === 'object' && !Array.isArray(x) ? (x as T) : undefined);

/** One GroupDelta as read: any field may be missing in a damaged report. */
interface Delta {
  candidate_mean?: unknown;
  baseline_mean?: unknown;
  delta?: unknown;
  ci95_user?: unknown;
  ci95_pooled?: unknown;
}
type Table = Record<string, Delta>;
/** `{overall: {metric: GroupDelta}, by_day: {day: {metric: GroupDelta}}}`. */
interface Scopes {
  overall?: Table;
  by_day?: Record<string, Table>;
}

function pick(t: Table | undefined, field: 'candidate_mean' | 'baseline_mean'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [m, d] of Object.entries(objectOr<Table>(t) ?? {})) {
    const v = objectOr<Delta>(d)?.[field];
    if (finite(v)) out[m] = v;
  }
  return out;
}

function meanSeries(s: Scopes | undefined, field: 'candidate_mean' | 'baseline_mean'): MetricSeries {
  const byDay: Record<string, Record<string, number>> = {};
  for (const [day, t] of Object.entries(objectOr<Record<string, Table>>(s?.by_day) ?? {})) byDay[day] = pick(t, field);
  return { overall: pick(s?.overall, field), byDay };
}

function interval(x: unknown): [number, number] | null {
  return Array.isArray(x) && x.length === 2 && finite(x[0]) && finite(x[1]) ? [x[0], x[1]] : null;
}

/**
 * The gate's input for one protocol of a group evaluation: `first` is the reading of the report's ordinary part
 * (the first seed's), whose `informative` and `days` are kept; values, sanity values and `beats` are replaced by
 * the group's. With two seeds or more `beats` reads `ci95_pooled` (intervals `pooled`); a group of one seed has
 * no spread across seeds and reads `ci95_user`. A sanity baseline is beaten on a metric when that interval of the
 * overall delta is above 0 and the group's mean delta is > 0 on every gated day — the rule the report's own
 * `beats_baselines` applies to one seed (ml/metrics/protocol-report.ts). Returns why it cannot, as a phrase.
 */
export function groupGateInput(group: Record<string, unknown>, protocol: GateProtocol, first: GateInput): GateInput | string {
  const protocols = objectOr<Record<string, unknown>>(group.protocols) ?? {};
  const section = objectOr<Scopes & { sanity?: Record<string, Scopes> }>(protocols[protocol]);
  if (!section) return `its seed-group part has no ${protocol} protocol (it has ${Object.keys(protocols).join(', ') || 'none'})`;
  const seeds = finite(group.seeds) ? group.seeds : Array.isArray(group.members) ? group.members.length : 0;
  const name = typeof group.candidate_group === 'string' ? group.candidate_group : '';
  const intervals: IntervalKind = seeds >= 2 ? 'pooled' : 'user';
  const gatedDays = Object.entries(first.days ?? {}).filter(([, u]) => u.gated !== false).map(([d]) => d);
  const days = first.days ? gatedDays : Object.keys(objectOr(section.by_day) ?? {});

  const sanityRaw = objectOr<Record<string, Scopes>>(section.sanity) ?? {};
  const sanity: Record<string, MetricSeries> = {};
  const beats: Record<string, BeatsBaselines> = {};
  const beatsCi: NonNullable<GateInput['beatsCi']> = {};
  const metrics = Object.keys(objectOr(section.overall) ?? {});
  for (const [s, node] of Object.entries(sanityRaw)) sanity[s] = meanSeries(node, 'baseline_mean');
  for (const m of metrics) {
    const by: Partial<Record<string, boolean>> = {};
    beatsCi[m] = {};
    for (const [s, node] of Object.entries(sanityRaw)) {
      const d = objectOr<Delta>(node.overall?.[m]);
      const ci = interval(intervals === 'pooled' ? d?.ci95_pooled : d?.ci95_user);
      beatsCi[m][s] = ci;
      by[s] = !!ci && ci[0] > 0 && days.every((day) => {
        const dd = objectOr<Delta>(node.by_day?.[day]?.[m])?.delta;
        return finite(dd) && dd > 0;
      });
    }
    const names = Object.keys(by);
    beats[m] = { beats: names.length > 0 && names.every((s) => by[s]), by_baseline: by };
  }
  return {
    candidate: meanSeries(section, 'candidate_mean'), baseline: meanSeries(section, 'baseline_mean'),
    ...(first.informative ? { informative: first.informative } : {}), ...(first.days ? { days: first.days } : {}),
    beats, beatsCi, sanity, intervals, group: { name, seeds },
  };
}
