#!/usr/bin/env python3
"""Tables of the recipe tuning record from the JSON lines of experiments/tune-recipes.ts.

  python3 experiments/tuning-table.py tuning-results.jsonl            # per row and setting: catalog figures vs the sanity baselines
  python3 experiments/tuning-table.py tuning-results.jsonl --choose   # the chosen setting per row (highest catalog gauc on the tuning window)
  python3 experiments/tuning-table.py test-results.jsonl --test       # the chosen recipes on the report's test part vs each sanity baseline

The choice reads only the tuning window's figures (whose held-out days end before the report window's test part).
"""
import json
import sys

BASELINES = ['random', 'popular', 'item_prior', 'shortest', 'longest']


def load(path):
    return [json.loads(line) for line in open(path) if line.strip()]


def fmt(x):
    return '-' if x is None else f'{x:.4f}'


def table(rs):
    out = ['| row | setting | arch | neg | lr | batch | hidden | best epoch | val_auc / val_rmse | gauc | map | recall@50 | best baseline gauc | loses (gauc; map; recall@50) to |',
           '|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|']
    for r in rs:
        best = max(BASELINES, key=lambda b: r.get(f'{b}:gauc') or 0)
        val = r.get('val_auc') if r.get('val_auc') is not None else r.get('val_rmse')
        lost = '; '.join('+'.join(r.get(f'lost_to:{m}') or []) or 'none' for m in ['gauc', 'map', 'recall@50'])
        out.append(f"| {r['row']} | {r.get('setting', '')} | {r['arch']} | {r['negatives']} | {r['lr']} | {r.get('batchSize', 1024)} | {','.join(map(str, r['hidden']))} | "
                   f"{r.get('best_epoch') or r['epochs']} | {fmt(val)} | {fmt(r['gauc'])} | {fmt(r['map'])} | {fmt(r['recall@50'])} | {best} {fmt(r[f'{best}:gauc'])} | {lost} |")
    return '\n'.join(out)


def choose(rs):
    """Per row: among the settings within 0.002 of the row's highest tuning gauc, the one with the highest map."""
    rows = {}
    for r in rs:
        rows.setdefault(r['row'], []).append(r)
    best = {}
    for row, cands in rows.items():
        top = max(c['gauc'] for c in cands)
        best[row] = max((c for c in cands if c['gauc'] >= top - 0.002), key=lambda c: c['map'])
    return best


def test_table(rs):
    out = ['| row | setting | metric | model | random | popular | item_prior | shortest | longest | delta vs best baseline [95%] | beats all? | loses to |',
           '|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|']
    for r in rs:
        for m in ['gauc', 'map', 'recall@50']:
            best = max(BASELINES, key=lambda b: r.get(f'{b}:{m}') or 0)
            ci = r.get(f'delta_ci:{best}:{m}') or [None, None]
            d = r[m] - r[f'{best}:{m}']
            lost = r.get(f'lost_to:{m}') or []
            out.append(f"| {r['row']} | {r.get('setting', '')} | {m} | {fmt(r[m])} | " + ' | '.join(fmt(r[f'{b}:{m}']) for b in BASELINES)
                       + f" | {best}: {d:+.4f} [{fmt(ci[0])}, {fmt(ci[1])}] | {'yes' if r.get(f'beats:{m}') else 'no'} | {'+'.join(lost) or '-'} |")
    return '\n'.join(out)


def main():
    rs = load(sys.argv[1])
    if '--test' in sys.argv:
        print(test_table(rs))
        return
    if '--choose' in sys.argv:
        keys = ['setting', 'row', 'label', 'task', 'buckets', 'arch', 'target', 'epochs', 'lr', 'patience', 'hidden', 'negatives', 'batchSize', 'catDim', 'vectorDim', 'grlLambda']
        print(json.dumps([{k: r[k] for k in keys if k in r} for r in choose(rs).values()], indent=0))
        return
    print(table(rs))


if __name__ == '__main__':
    main()
