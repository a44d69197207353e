import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { servingRefusal } from './servable';

test('servingRefusal refuses external models and passes trained two-tower versions', () => {
  const ext = { name: 'ext1', source: 'external', arch: 'external-onnx', artifacts: [{ name: 'model.onnx' }, { name: 'manifest.json' }] };
  assert.match(servingRefusal(ext)!, /ext1 is an external model \(a single ONNX graph: model\.onnx\).*register a two-tower export/);
  const trained = { name: 'v1', source: 'trained', arch: 'two-tower',
    artifacts: [{ name: 'user_tower.onnx' }, { name: 'item_tower.onnx' }, { name: 'model.json' }] };
  assert.equal(servingRefusal(trained), undefined);
});
