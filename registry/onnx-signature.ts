// Checks an external ONNX file against its declared input signature with onnxruntime (the runtime that
// will score it), so that a model from another tool is refused at registration, not at its first request.
import * as ort from 'onnxruntime-node';
import { invalid } from '../core/errors';
import type { InputSpec } from './version-store';

/** The inputs and outputs an ONNX file declares. */
export interface OnnxSignature {
  inputs: InputSpec[];
  outputs: string[];
}

/** Reads the signature of an ONNX file; INVALID_ARGUMENT when onnxruntime cannot load it. */
export async function readOnnxSignature(data: Buffer): Promise<OnnxSignature> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(data);
  } catch (err) {
    throw invalid(`the file is not an ONNX model onnxruntime can load: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const inputs = session.inputMetadata.map((m) => (m.isTensor
      ? { name: m.name, dtype: String(m.type), shape: m.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1)) }
      : { name: m.name, dtype: 'non-tensor', shape: [] }));
    return { inputs, outputs: [...session.outputNames] };
  } finally {
    await session.release().catch(() => undefined);
  }
}

/**
 * Compares a declared signature with the file's: the same input names, and per input the same element type
 * and rank; a declared fixed dimension must match the file's unless the file's is dynamic. Returns the file's
 * signature; INVALID_ARGUMENT listing every difference otherwise.
 */
export async function checkOnnxSignature(data: Buffer, declared: InputSpec[]): Promise<OnnxSignature> {
  const sig = await readOnnxSignature(data);
  const problems: string[] = [];
  const actual = new Map(sig.inputs.map((i) => [i.name, i]));
  for (const d of declared) {
    const a = actual.get(d.name);
    if (!a) {
      problems.push(`input "${d.name}" is declared but the file has no such input`);
      continue;
    }
    if (a.dtype !== d.dtype) problems.push(`input "${d.name}": declared ${d.dtype}, the file has ${a.dtype}`);
    if (a.shape.length !== d.shape.length) {
      problems.push(`input "${d.name}": declared rank ${d.shape.length} [${d.shape.join(',')}], the file has rank ${a.shape.length} [${a.shape.join(',')}]`);
    } else {
      d.shape.forEach((dim, i) => {
        const fd = a.shape[i];
        if (dim !== -1 && fd !== -1 && dim !== fd) problems.push(`input "${d.name}" dimension ${i}: declared ${dim}, the file has ${fd}`);
      });
    }
  }
  for (const a of sig.inputs) if (!declared.some((d) => d.name === a.name)) problems.push(`the file has input "${a.name}" that is not declared`);
  if (problems.length) throw invalid(`input_signature does not match the ONNX file: ${problems.join('; ')}`);
  return sig;
}
