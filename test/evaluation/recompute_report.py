"""Recomputes an evaluation report's point metrics from an exported scores CSV, independently of the platform.

Usage: /usr/bin/python3 recompute_report.py SCORES.csv K[,K...]  -> JSON on stdout:
  {protocol: {scorer column: {"overall": {metric: value}, "by_day": {day: {metric: value}}}}}

Plain Python (no numpy). A list is one (user, day) of one protocol, ranked by score descending; among equal
scores non-relevant rows first, then item_index ascending (the documented order). Metrics are averaged over
lists with both classes; gauc weights each list's AUC by its length; auc pools the scope's rows (ties 1/2).
The catalog protocol reports rank metrics only.
"""
import csv, json, math, sys
from collections import defaultdict

path, ks = sys.argv[1], [int(k) for k in sys.argv[2].split(',')]
rows = list(csv.DictReader(open(path, newline='')))
scorers = [c for c in rows[0].keys() if c in ('score', 'baseline_score') or c.startswith('sanity_')] if rows else []
num = lambda s: float(s) if s != '' else float('nan')


def auc_of(pairs):
    """AUC of (score, rel) pairs with ties counting 1/2, by sorting: O(n log n)."""
    pos = sorted(s for s, r in pairs if r)
    neg = sorted(s for s, r in pairs if not r)
    if not pos or not neg:
        return float('nan')
    u, lo, hi = 0.0, 0, 0
    for s in pos:
        while lo < len(neg) and neg[lo] < s:
            lo += 1
        hi = max(hi, lo)
        while hi < len(neg) and neg[hi] <= s:
            hi += 1
        u += lo + 0.5 * (hi - lo)
    return u / (len(pos) * len(neg))


def list_metrics(items, protocol):
    """items: dicts with s, rel, idx, wtg, ts, pcc. Returns metric -> value, or None for a one-class list."""
    n = len(items)
    R = sum(1 for x in items if x['rel'])
    if R == 0 or R == n:
        return None
    order = sorted(items, key=lambda x: (-x['s'], x['rel'], x['idx']))
    ranks = [i + 1 for i, x in enumerate(order) if x['rel']]
    m = {}
    for k in ks:
        h = sum(1 for r in ranks if r <= k)
        m['recall@%d' % k] = h / R
        m['recall_capped@%d' % k] = h / min(k, R)
        m['hit_rate@%d' % k] = 1.0 if h > 0 else 0.0
        m['map@%d' % k] = sum((i + 1) / r for i, r in enumerate(ranks) if r <= k) / min(k, R)
        idcg = sum(1 / math.log2(i + 1) for i in range(1, min(k, R) + 1))
        m['ndcg@%d' % k] = sum(1 / math.log2(r + 1) for r in ranks if r <= k) / idcg
    m['map'] = sum((i + 1) / r for i, r in enumerate(ranks)) / R
    m['mrr'] = 1 / ranks[0]
    m['gauc'] = auc_of([(x['s'], x['rel']) for x in items])
    if protocol == 'viewed':
        for k in ks:
            top = order[:k]
            w = [x['wtg'] for x in top if not math.isnan(x['wtg'])]
            m['wtg_gain@%d' % k] = sum(w) / len(w) if w else float('nan')
            m['wtg_dcg@%d' % k] = sum(x['wtg'] / math.log(i + 2) for i, x in enumerate(top) if not math.isnan(x['wtg']))
            m['watch_time@%d' % k] = sum(x['ts'] for x in top)
            p = [x['pcc'] for x in top if not math.isnan(x['pcc'])]
            m['pcc98_rate@%d' % k] = sum(1 for c in p if c >= 0.98) / len(p) if p else float('nan')
    return m, n


def aggregate(lists, protocol, scope_rows):
    sums, cnts = defaultdict(float), defaultdict(float)
    for r in lists:
        if r is None:
            continue
        m, n = r
        for name, v in m.items():
            if math.isnan(v):
                continue
            w = n if name == 'gauc' else 1
            sums[name] += w * v
            cnts[name] += w
    out = {name: sums[name] / cnts[name] for name in sums if cnts[name] > 0}
    if protocol == 'viewed':
        out['auc'] = auc_of(scope_rows)
    return out


result = {}
for protocol in sorted(set(r['protocol'] for r in rows)):
    prow = [r for r in rows if r['protocol'] == protocol]
    result[protocol] = {}
    for col in scorers:
        if prow[0][col] == '':
            continue
        lists = defaultdict(list)
        for r in prow:
            length, ts = num(r['video_length_s']), num(r['timespent_s'])
            lists[(r['user_id'], r['day'])].append({
                's': float(r[col]), 'rel': float(r['label']) > 0, 'idx': int(r['item_index']), 'wtg': num(r['wtg']),
                'ts': ts, 'pcc': ts / length if length > 0 and not math.isnan(ts) else float('nan')})
        computed = {key: list_metrics(items, protocol) for key, items in lists.items()}
        days = sorted(set(d for _, d in lists))
        pooled = lambda keys: [(x['s'], x['rel']) for key in keys for x in lists[key]]
        result[protocol][col] = {
            'overall': aggregate(computed.values(), protocol, pooled(lists.keys())),
            'by_day': {d: aggregate([v for key, v in computed.items() if key[1] == d], protocol, pooled([key for key in lists if key[1] == d])) for d in days},
        }
print(json.dumps(result))
