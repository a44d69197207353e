// The one chart specification of the platform's reports: plain Chart.js 4 configurations (JSON, no callbacks)
// built from report objects, so the console draws them with `new Chart(canvas, config)` and any other report
// (an experiment's, a rollout's) reuses the same shape: a point estimate per day with its 95% interval as a band.

/** One day of a series: the point estimate and its 95% interval (null where the report has none). */
export interface DayPoint {
  day: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
}

/** A chart the console draws: a title, the Chart.js configuration, and the numbers it was built from. */
export interface ChartSpec {
  /** A stable id for the page (e.g. `viewed:auc`), used as the canvas's test id. */
  id: string;
  title: string;
  /** A Chart.js 4 configuration object (type line), JSON-serialisable. */
  config: Record<string, unknown>;
}

type Ci = [number | null, number | null] | null | undefined;

interface DeltaCell {
  delta?: number | null;
  ci95?: Ci;
}

/** The part of an evaluation report (docs/evaluation.md) the charts read. */
export interface ReportLike {
  protocols?: Partial<Record<'viewed' | 'catalog', { delta?: { by_day?: Record<string, Record<string, DeltaCell>> } | null }>>;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A line chart of per-day estimates with the 95% interval drawn as a filled band between its bounds, and a
 * dashed zero line: whether the band leaves zero is what a reader looks for.
 */
export function intervalChart(id: string, title: string, yLabel: string, points: DayPoint[]): ChartSpec {
  const labels = points.map((p) => p.day);
  return {
    id, title,
    config: {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: '95% interval (low)', data: points.map((p) => p.lo), borderColor: 'rgba(54,118,202,0.35)', borderWidth: 1,
            pointRadius: 0, fill: false, spanGaps: true },
          { label: '95% interval (high)', data: points.map((p) => p.hi), borderColor: 'rgba(54,118,202,0.35)', borderWidth: 1,
            backgroundColor: 'rgba(54,118,202,0.2)', pointRadius: 0, fill: '-1', spanGaps: true },
          { label: yLabel, data: points.map((p) => p.value), borderColor: 'rgb(31,78,140)', backgroundColor: 'rgb(31,78,140)',
            borderWidth: 2, pointRadius: 3, fill: false, spanGaps: true },
          { label: 'zero', data: labels.map(() => 0), borderColor: 'rgba(120,120,120,0.8)', borderDash: [4, 4], borderWidth: 1,
            pointRadius: 0, fill: false },
        ],
      },
      options: {
        responsive: false, animation: false,
        plugins: { title: { display: true, text: title }, legend: { display: true, position: 'bottom' } },
        scales: { x: { title: { display: true, text: 'day' } }, y: { title: { display: true, text: yLabel } } },
      },
    },
  };
}

/**
 * One chart per protocol and metric of an evaluation report: the candidate-minus-baseline delta per test day with
 * its bootstrap 95% interval (`protocols.{viewed,catalog}.delta.by_day[day][metric]`). A report without a baseline
 * has no deltas and gives no charts.
 */
export function evaluationDeltaCharts(report: ReportLike | null | undefined): ChartSpec[] {
  const charts: ChartSpec[] = [];
  for (const protocol of ['viewed', 'catalog'] as const) {
    const byDay = report?.protocols?.[protocol]?.delta?.by_day;
    if (!byDay) continue;
    const days = Object.keys(byDay).sort();
    const metrics = [...new Set(days.flatMap((d) => Object.keys(byDay[d] ?? {})))].sort();
    for (const metric of metrics) {
      const points = days.map((day) => {
        const cell = byDay[day]?.[metric];
        return { day, value: num(cell?.delta), lo: num(cell?.ci95?.[0]), hi: num(cell?.ci95?.[1]) };
      });
      charts.push(intervalChart(`${protocol}:${metric}`, `${metric} delta per day (${protocol} protocol)`, `Δ ${metric}`, points));
    }
  }
  return charts;
}

/** A rollout report's effect by exposure day as the RPC returns it (estimates with their 95% interval). */
export interface EffectByDayLike {
  arm: string;
  day: string;
  absolute?: { value?: number; ci_low?: number; ci_high?: number } | null;
}

/** One chart per treatment arm of a rollout: the watch-time difference to control by exposure day, with its interval. */
export function rolloutEffectCharts(effects: EffectByDayLike[]): ChartSpec[] {
  const arms = [...new Set(effects.map((e) => e.arm))].sort();
  return arms.map((arm) => {
    const points = effects.filter((e) => e.arm === arm).sort((a, b) => a.day.localeCompare(b.day))
      .map((e) => ({ day: e.day, value: num(e.absolute?.value), lo: num(e.absolute?.ci_low), hi: num(e.absolute?.ci_high) }));
    return intervalChart(`rollout:${arm}`, `${arm} minus control by exposure day`, 'Δ watch time (s)', points);
  });
}
