// RSI_MEASUREMENT_READ and RSI_MEASUREMENT_EXTEND (RMM B5.3.8, B5.3.7, A7.1.2).
import { remExtend } from '../attestation/token.js';
import { RsiStatus, bytesOfDoublewords, doublewordsOf, rsiInput, rsiReturn, type RsiCaller, type RsiOutcome } from './result.js';

export function rsiMeasurementRead({ realm }: RsiCaller, index: bigint): RsiOutcome {
  if (index > 4n) return rsiInput(); // B5.3.8 failure: index_bound
  return rsiReturn(RsiStatus.Success, ...doublewordsOf(realm.measurements[Number(index)]));
}

export function rsiMeasurementExtend({ realm }: RsiCaller, index: bigint, size: bigint, ...value: bigint[]): RsiOutcome {
  if (index < 1n || index > 4n) return rsiInput(); // B5.3.7 failure: index_bound
  if (size > 64n) return rsiInput(); // B5.3.7 failure: size_bound
  const i = Number(index);
  realm.measurements[i] = remExtend(realm.hashAlgo, realm.measurements[i], bytesOfDoublewords(value), Number(size));
  return rsiReturn(RsiStatus.Success);
}
