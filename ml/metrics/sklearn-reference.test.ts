// An independent reference: scikit-learn (Debian's python3-sklearn, via /usr/bin/python3) computes per-user AUC,
// AP and NDCG@K, GAUC and global AUC on the same random lists (continuous scores, so no ties), and the report of
// evaluateRanking must agree to 1e-9. Skips, saying why, when sklearn is not importable.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluateRanking } from './evaluate';
import { mulberry32 } from '../../core/rng';

const PY = '/usr/bin/python3';
const hasSklearn = spawnSync(PY, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;

const SCRIPT = `
import json, sys
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, ndcg_score
d = json.load(open(sys.argv[1]))
user, score, label = np.array(d['user']), np.array(d['score']), np.array(d['label'])
out = {'auc': [], 'ap': [], 'ndcg5': [], 'ndcg10': [], 'n': []}
for u in sorted(set(user.tolist())):
    m = user == u
    y, s = label[m], score[m]
    if y.sum() == 0 or y.sum() == len(y):
        continue
    out['auc'].append(roc_auc_score(y, s))
    out['ap'].append(average_precision_score(y, s))
    out['ndcg5'].append(ndcg_score(y[None, :], s[None, :], k=5))
    out['ndcg10'].append(ndcg_score(y[None, :], s[None, :], k=10))
    out['n'].append(int(m.sum()))
n = np.array(out['n'])
print(json.dumps({
    'gauc': float((np.array(out['auc']) * n).sum() / n.sum()),
    'map': float(np.mean(out['ap'])),
    'ndcg@5': float(np.mean(out['ndcg5'])),
    'ndcg@10': float(np.mean(out['ndcg10'])),
    'auc': float(roc_auc_score(label, score)),
    'evaluated': len(out['n']),
}))
`;

test('the report agrees with scikit-learn on GAUC, global AUC, MAP and NDCG@K', { skip: hasSklearn ? false : `${PY} cannot import sklearn (apt-get install -y python3-sklearn)` }, () => {
  const rand = mulberry32(99);
  const user: number[] = [], score: number[] = [], label: number[] = [];
  for (let u = 0; u < 300; u++) {
    const n = 3 + Math.floor(rand() * 13);
    for (let j = 0; j < n; j++) {
      const signal = rand();
      user.push(u);
      score.push(signal + rand());
      label.push(rand() < 0.15 + 0.5 * signal ? 1 : 0);
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-sk-'));
  try {
    fs.writeFileSync(path.join(dir, 'rows.json'), JSON.stringify({ user, score, label }));
    fs.writeFileSync(path.join(dir, 'ref.py'), SCRIPT);
    const r = spawnSync(PY, [path.join(dir, 'ref.py'), path.join(dir, 'rows.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ref = JSON.parse(r.stdout) as Record<string, number>;
    const rep = evaluateRanking({ user: Int32Array.from(user), nUsers: 300, label }, score, null, { ks: [5, 10] });
    assert.equal(rep.users.evaluated, ref.evaluated);
    for (const m of ['gauc', 'auc', 'map', 'ndcg@5', 'ndcg@10']) {
      assert.ok(Math.abs((rep.overall[m] as number) - ref[m]) <= 1e-9, `${m}: ours ${rep.overall[m]}, sklearn ${ref[m]}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
