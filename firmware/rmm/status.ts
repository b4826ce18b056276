// RmiStatusCode and RmiCommandReturnCode (RMM B4.4.25, B4.4.1): X0 = status[7:0] | index[15:8].

export const enum RmiStatus {
  Success = 0,
  ErrorInput = 1,
  ErrorRealm = 2,
  ErrorRec = 3,
  ErrorRtt = 4,
}

/** A command's outcome: its status and index, and the output registers X1.. it defines. */
export interface RmiResult {
  status: RmiStatus;
  index: number;
  out: bigint[];
}

export function success(...out: bigint[]): RmiResult {
  return { status: RmiStatus.Success, index: 0, out };
}

export function error(status: RmiStatus, index = 0, ...out: bigint[]): RmiResult {
  return { status, index, out };
}

export const input = (): RmiResult => error(RmiStatus.ErrorInput);

/** The value of X0 (RMM B4.4.1 RmiCommandReturnCode). */
export function returnCode(r: RmiResult): bigint {
  return BigInt(r.status) | (BigInt(r.index & 0xff) << 8n);
}
