import type { ByteReader } from './byte-reader';
import type { ProducersInfo, TargetFeature } from './model';

/** The `producers` custom section: language, processed-by and sdk fields with versions. */
export function readProducers(r: ByteReader): ProducersInfo {
  const producers: ProducersInfo = {};
  const fields = r.count('producers fields', 2);
  for (let i = 0; i < fields; i++) {
    const field = r.name('a producers field name');
    const n = r.count('producers values', 2);
    const values = (producers[field] ??= []);
    for (let j = 0; j < n; j++)
      values.push({ name: r.name('a producer name'), version: r.name('a producer version') });
  }
  return producers;
}

export function readTargetFeatures(r: ByteReader): TargetFeature[] {
  const n = r.count('target features', 2);
  const features: TargetFeature[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const prefix = String.fromCharCode(r.u8('a feature prefix'));
    if (prefix !== '+' && prefix !== '-' && prefix !== '=')
      r.fail(`unknown target feature prefix "${prefix}"`, at);
    features.push({ prefix, name: r.name('a feature name') });
  }
  return features;
}
