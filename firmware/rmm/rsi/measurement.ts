// RSI_MEASUREMENT_READ and RSI_MEASUREMENT_EXTEND (RMM B5.3.8, B5.3.7, A7.1.2).
import { remExtend } from '../attestation/token.js';
import { RsiStatus, rsiInput, rsiReturn, type RsiCaller, type RsiOutcome } from './result.js';

const doublewords = (bytes: Uint8Array): bigint[] => {
  const v = new DataView(bytes.buffer, bytes.byteOffset, 64);
  return Array.from({ length: 8 }, (_, i) => v.getBigUint64(i * 8, true));
};

export function rsiMeasurementRead({ realm }: RsiCaller, index: bigint): RsiOutcome {
  if (index > 4n) return rsiInput(); // B5.3.8 failure: index_bound
  return rsiReturn(RsiStatus.Success, ...doublewords(realm.measurements[Number(index)]));
}

export function rsiMeasurementExtend({ realm }: RsiCaller, index: bigint, size: bigint, ...value: bigint[]): RsiOutcome {
  if (index < 1n || index > 4n) return rsiInput(); // B5.3.7 failure: index_bound
  if (size > 64n) return rsiInput(); // B5.3.7 failure: size_bound
  const bytes = new Uint8Array(64);
  const v = new DataView(bytes.buffer);
  value.forEach((dw, i) => v.setBigUint64(i * 8, dw, true));
  const i = Number(index);
  realm.measurements[i] = remExtend(realm.hashAlgo, realm.measurements[i], bytes, Number(size));
  return rsiReturn(RsiStatus.Success);
}
