// ONNX export: every architecture's graphs pass the independent onnx.checker (Debian python3-onnx, skipped
// with a message when absent) and agree with the TF.js reference model on 1,000 rows within 1e-4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layoutFor } from '../features/layout';
import { syntheticBatch } from '../features/fixtures';
import { ARCHS, makeSpec } from '../model/spec';
import { Params } from '../model/params';
import { modelMeta } from '../model/model-meta';
import { pickBackend } from '../train/backend';
import { exportOnnx } from './export';
import { checkParity } from './parity';
import { archModel } from '../model/arch';

// Debian's python3 (where python3-onnx installs), not a pyenv python3 earlier on PATH.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;

for (const arch of ARCHS) {
  test(`ONNX export of ${arch}: onnx.checker passes and onnxruntime agrees with TF.js on 1,000 rows`, async (t) => {
    const backend = await pickBackend();
    const layout = layoutFor(8);
    const spec = makeSpec(arch, 'binary', layout, { hidden: [32, 16], dim: 12 });
    const p = Params.init(spec, 3);
    for (let i = 0; i < p.data.length; i++) if (p.data[i] === 0) p.data[i] = 0.1 * Math.cos(i); // non-zero biases
    const files = { ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, backend))) };
    assert.equal('head.onnx' in files, archModel(arch).headInputs.length > 0);
    const { batch } = syntheticBatch(1000, layout, 5);
    const report = await checkParity(p, files, batch, backend);
    assert.equal(report.rows, 1000);
    assert.ok(report.passed, JSON.stringify(report));
    t.diagnostic(`parity: ${JSON.stringify(report)}`);

    if (!hasOnnx) {
      t.diagnostic('python3-onnx is not installed (apt-get install -y python3-onnx): onnx.checker skipped');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-check-'));
    try {
      for (const [name, data] of Object.entries(files)) if (name.endsWith('.onnx')) fs.writeFileSync(path.join(dir, name), data);
      const out = execFileSync(PYTHON, ['-c', [
        'import onnx, sys, glob',
        'for f in sorted(glob.glob(sys.argv[1] + "/*.onnx")):',
        '    m = onnx.load(f); onnx.checker.check_model(m, full_check=True); print(f.split("/")[-1], "ok")',
      ].join('\n'), dir], { encoding: 'utf8' });
      assert.match(out, /user_tower\.onnx ok/);
      assert.match(out, /item_tower\.onnx ok/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('parity fails when the ONNX graphs do not match the TF.js weights', async () => {
  const backend = await pickBackend();
  const layout = layoutFor(8);
  const p = Params.init(makeSpec('two-tower-base', 'regression', layout, { hidden: [16], dim: 8 }), 4);
  const files = { ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, backend))) };
  const w = p.view('item.w1');
  w[0] += 0.01; // the registered TF.js weights drift from the exported graph
  const { batch } = syntheticBatch(1000, layout, 6);
  const report = await checkParity(p, files, batch, backend);
  assert.equal(report.passed, false);
  assert.ok(report.maxAbsDiffItemVec > 1e-4 && report.maxAbsDiffUserVec < 1e-6, JSON.stringify(report));
});
