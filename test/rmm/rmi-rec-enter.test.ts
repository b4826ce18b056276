// RMI_REC_ENTER's failure conditions (RMM B4.3.14.2) over a real RmiRecRun, each through a real SMC from
// NS-EL2, and the RmiRecRun layout (B4.4.14, B4.4.16). Running the realm: test/realm/.
import { describe, it, expect } from 'vitest';
import { RmiHost, RMI, SUCCESS, ERROR_INPUT, ERROR_REALM, ERROR_REC, createRealm } from '../helpers/rmi.js';
import { recEnterChecks } from '../../firmware/rmm/rmi/rec-enter.js';
import { encodeRecExit, readRecEnter, RecExitReason } from '../../firmware/rmm/rec-run.js';
import { RecState } from '../../firmware/rmm/rec.js';

const NOT_DELEGABLE = 0x1000_0000n;

function fixture(h: RmiHost, runnable = true) {
  const { rd } = createRealm(h);
  const rec = h.delegated();
  const aux = [h.delegated(), h.delegated()];
  expect(h.call(RMI.REC_CREATE, rd, rec, h.page({ 0: runnable ? 1n : 0n, 0x800: 2n, 0x808: aux[0], 0x810: aux[1] })).status).toBe(SUCCESS);
  expect(h.call(RMI.REALM_ACTIVATE, rd).status).toBe(SUCCESS);
  const ctx = h.m.rme!.rmm.ctx;
  return { rd, rec, run: h.page({ 0x300: 0x2n }), ctx, realm: ctx.realms.get(rd)!, recObj: ctx.recs.get(rec)! };
}

describe('RMI_REC_ENTER failure conditions (B4.3.14.2), in spec order', () => {
  const rows: [string, number, number, (h: RmiHost, f: ReturnType<typeof fixture>) => void][] = [
    ['run_align', ERROR_INPUT, 0, (_h, f) => (f.run += 8n)],
    ['run_bound', ERROR_INPUT, 0, (_h, f) => (f.run = NOT_DELEGABLE)],
    ['run_pas', ERROR_INPUT, 0, (h, f) => (f.run = h.delegated())],
    ['rec_align', ERROR_INPUT, 0, (_h, f) => (f.rec += 8n)],
    ['rec_bound', ERROR_INPUT, 0, (_h, f) => (f.rec = NOT_DELEGABLE)],
    ['rec_gran_state', ERROR_INPUT, 0, (_h, f) => (f.rec = f.rd)],
    ['realm_new', ERROR_REALM, 0, (_h, f) => ((f.realm as { state: string }).state = 'REALM_NEW')],
    ['system_off', ERROR_REALM, 1, (_h, f) => f.realm.systemOff()],
    ['rec_state', ERROR_REC, 0, (_h, f) => (f.recObj.state = RecState.Running)],
    ['rec_mmio: emul_mmio without an emulatable abort', ERROR_REC, 0, (h, f) => h.write64(f.run, 1n)],
    ['rec_gicv3: a reserved ICH_HCR_EL2 bit (En)', ERROR_REC, 0, (h, f) => h.write64(f.run + 0x300n, 1n)],
    ['rec_gicv3: a list register with HW set', ERROR_REC, 0, (h, f) => h.write64(f.run + 0x308n, 1n << 61n)],
    ['rec_gicv3: a list register beyond RmiFeatureRegister0.GICV3_NUM_LRS', ERROR_REC, 0, (h, f) => h.write64(f.run + 0x308n + 8n * 4n, 1n)],
    ['rec_psci', ERROR_REC, 0, (_h, f) => (f.recObj.psciPending = true)],
  ];
  for (const [name, status, index, spoil] of rows) {
    it(name, () => {
      const h = new RmiHost();
      const f = fixture(h);
      spoil(h, f);
      expect(h.call(RMI.REC_ENTER, f.rec, f.run)).toMatchObject({ status, index });
      // Nothing ran: the PE is back at NS-EL2 and no REC runs on it
      expect(f.ctx.running.size).toBe(0);
      expect(h.m.core.el).toBe(2);
    });
  }
  it('rec_runnable', () => {
    const h = new RmiHost();
    const f = fixture(h, false);
    expect(h.call(RMI.REC_ENTER, f.rec, f.run)).toMatchObject({ status: ERROR_REC, index: 0 });
  });
  it('all conditions pass: the entry state as the host wrote it', () => {
    const h = new RmiHost();
    const f = fixture(h);
    h.write64(f.run, 0b11100n); // trap_wfi, trap_wfe, ripas_response = REJECT
    h.write64(f.run + 0x200n + 8n * 30n, 0x30n);
    h.write64(f.run + 0x308n + 8n * 3n, 0x1234n);
    f.recObj.emulatableAbort = true;
    const r = recEnterChecks(f.ctx, f.rec, f.run);
    expect(r).toMatchObject({ rec: f.recObj, enter: { flags: { emulMmio: false, injectSea: false, trapWfi: true, trapWfe: true, ripasReject: true }, gicv3Hcr: 2n } });
    const enter = (r as { enter: ReturnType<typeof readRecEnter> }).enter;
    expect(enter.gprs[30]).toBe(0x30n);
    expect(enter.gicv3Lrs[3]).toBe(0x1234n);
  });
});

describe('RmiRecExit layout (B4.4.16)', () => {
  it('every field at its offset, the rest zero', () => {
    const bytes = encodeRecExit({
      reason: RecExitReason.RipasChange, esr: 0x9200_0046n, far: 0x123n, hpfar: 0x8_0000n, gprs: [1n, 2n],
      gicv3Hcr: 0x40n, gicv3Lrs: [0n, 7n], gicv3Misr: 3n, gicv3Vmcr: 4n, cntpCtl: 5n, cntpCval: 6n, cntvCtl: 1n, cntvCval: 9n,
      ripasBase: 0x1000n, ripasTop: 0x3000n, ripasValue: 1, imm: 0xbeef, pmuOverflowActive: true,
    });
    const v = new DataView(bytes.buffer);
    const at = (o: number) => v.getBigUint64(o, true);
    expect(bytes.length).toBe(0x800);
    expect(v.getUint8(0)).toBe(4);
    expect([at(0x100), at(0x108), at(0x110), at(0x200), at(0x208), at(0x300), at(0x310), at(0x388), at(0x390)])
      .toEqual([0x9200_0046n, 0x123n, 0x8_0000n, 1n, 2n, 0x40n, 7n, 3n, 4n]);
    expect([at(0x400), at(0x408), at(0x410), at(0x418), at(0x500), at(0x508)]).toEqual([5n, 6n, 1n, 9n, 0x1000n, 0x3000n]);
    expect([v.getUint8(0x510), v.getUint16(0x600, true), v.getUint8(0x700)]).toEqual([1, 0xbeef, 1]);
    const set = new Set([0, ...[0x100, 0x108, 0x110, 0x200, 0x208, 0x300, 0x310, 0x388, 0x390, 0x400, 0x408, 0x410, 0x418, 0x500, 0x508].flatMap((o) => Array.from({ length: 8 }, (_, i) => o + i)), 0x510, 0x600, 0x601, 0x700]);
    expect(bytes.every((b, i) => b === 0 || set.has(i))).toBe(true);
  });
  it('an exit with only a reason is all zeros after it', () => {
    expect(encodeRecExit({ reason: RecExitReason.Irq }).every((b, i) => (i === 0 ? b === 1 : b === 0))).toBe(true);
  });
});
