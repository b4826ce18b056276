// The rest of the FVP Base RevC map that bare-metal software touches: the V2M system registers, the SP805
// and SBSA generic watchdogs, and the memory-mapped generic timer frames (CNTControlBase, CNTCTLBase,
// CNTBaseN). They sit on a peripheral bus that also answers for everything unmodelled in the FVP
// peripheral windows: reads as zero, writes ignored, one warning per address.
import type { DeviceHandler } from '../core/core.js';

/** What the timed devices need: the generic counter now, and the distributor's SPI inputs. */
export interface PeripheralContext {
  counter(): bigint;
  setSpi(intid: number, level: boolean): void;
  /** The counter's frequency (CNTFRQ). */
  frequency: bigint;
}

/** A device whose interrupt depends on time: drives its line for the counter now, and says when it next changes. */
export interface TimedDevice {
  sync(count: bigint): bigint | undefined;
}

const U64 = (1n << 64n) - 1n;
const PRIMECELL_ID = [0x0d, 0xf0, 0x05, 0xb1];

// ---- V2M motherboard system registers (Arm DUI0575, "V2M-P1 system registers") ----

/** SYS_ID as TF-A expects of FVP Base RevC: Rev 2 (RevC), HBI 0x020, Build 0, Arch 1 (a model). */
const V2M_SYS_ID = (0x2 << 28) | (0x020 << 16) | (0x1 << 8);

export class V2mSysRegs implements DeviceHandler {
  private flags = 0;
  private leds = 0;
  private cfgStat = 0;
  private cfgCtrl = 0;
  private cfgData = 0;

  constructor(private readonly ctx: PeripheralContext) {}

  read(offset: bigint, _size?: number): bigint {
    switch (Number(offset)) {
      case 0x00: return BigInt(V2M_SYS_ID);
      case 0x08: return BigInt(this.leds); // SYS_LED
      case 0x24: return (this.ctx.counter() * 100n / this.ctx.frequency) & 0xffff_ffffn; // SYS_100HZ
      case 0x30: return BigInt(this.flags); // SYS_FLAGS (SET at 0x30, CLR at 0x34)
      case 0x5c: return (this.ctx.counter() * 24_000_000n / this.ctx.frequency) & 0xffff_ffffn; // SYS_24MHZ
      case 0x84: return 0x1400_0000n; // SYS_PROCID0: a model's daughterboard
      case 0xa0: return BigInt(this.cfgData);
      case 0xa4: return BigInt(this.cfgCtrl);
      case 0xa8: return BigInt(this.cfgStat);
      default: return 0n;
    }
  }

  write(offset: bigint, _size: number, value: bigint): void {
    const v = Number(value & 0xffff_ffffn);
    switch (Number(offset)) {
      case 0x08: this.leds = v; break;
      case 0x30: this.flags |= v; break;
      case 0x34: this.flags &= ~v; break;
      case 0xa0: this.cfgData = v; break;
      // A configuration transfer completes at once (SYS_CFGSTAT.COMPLETE); the functions it starts
      // (oscillators, shutdown, reboot) are not modelled: PSCI SYSTEM_OFF/RESET serve those here
      case 0xa4: this.cfgCtrl = v & 0x7fff_ffff; this.cfgStat = v & 0x8000_0000 ? 1 : this.cfgStat; break;
      case 0xa8: this.cfgStat = v; break;
    }
  }
}

// ---- SP805 watchdog (Arm DDI0270) ----

export const SP805_CLOCK_HZ = 32_768n; // FVP clocks it at 32 kHz
const SP805_UNLOCK = 0x1acc_e551;
const SP805_PERIPH_ID = [0x05, 0x18, 0x14, 0x00];

export class Sp805 implements DeviceHandler, TimedDevice {
  private load = 0xffff_ffffn;
  private control = 0;
  private locked = false;
  /** Counter value when the down-counter was last (re)loaded. */
  private loadedAt = 0n;
  private interrupt = false;
  /** The reset output: a second expiry with the interrupt still set and RESEN (DDI0270 2.2.1). */
  resetAsserted = false;

  constructor(private readonly ctx: PeripheralContext, readonly intid: number) {}

  /** Counter ticks per watchdog clock tick. */
  private get period(): bigint {
    return this.ctx.frequency / SP805_CLOCK_HZ;
  }

  private reload(count: bigint): void {
    this.loadedAt = count;
  }

  /** Runs the down-counter to `count`: each time it reaches 0 it raises the interrupt (or resets) and reloads. */
  sync(count: bigint): bigint | undefined {
    const enabled = (this.control & 1) !== 0;
    // WDOGINT is the masked interrupt (RIS and INTEN); with INTEN 0 the counter stops (DDI0270 2.2)
    if (!enabled) {
      this.ctx.setSpi(this.intid, false);
      return undefined;
    }
    const span = (this.load + 1n) * this.period;
    while (count - this.loadedAt >= span) {
      this.loadedAt += span;
      if (this.interrupt && (this.control & 2) !== 0) this.resetAsserted = true;
      this.interrupt = true;
    }
    this.ctx.setSpi(this.intid, this.interrupt);
    return this.loadedAt + span - count;
  }

  read(offset: bigint, _size?: number): bigint {
    const off = Number(offset);
    const count = this.ctx.counter();
    switch (off) {
      case 0x000: return this.load;
      case 0x004: {
        if ((this.control & 1) === 0) return this.load;
        this.sync(count);
        return this.load - (count - this.loadedAt) / this.period;
      }
      case 0x008: return BigInt(this.control);
      case 0x010: this.sync(count); return this.interrupt ? 1n : 0n; // WdogRIS
      case 0x014: this.sync(count); return this.interrupt && (this.control & 1) ? 1n : 0n; // WdogMIS
      case 0xc00: return this.locked ? 1n : 0n;
    }
    if (off >= 0xfe0 && off < 0xff0) return BigInt(SP805_PERIPH_ID[(off - 0xfe0) >> 2]);
    if (off >= 0xff0 && off < 0x1000) return BigInt(PRIMECELL_ID[(off - 0xff0) >> 2]);
    return 0n;
  }

  write(offset: bigint, _size: number, value: bigint): void {
    const off = Number(offset);
    const v = value & 0xffff_ffffn;
    const count = this.ctx.counter();
    if (off === 0xc00) {
      this.locked = v !== BigInt(SP805_UNLOCK);
      return;
    }
    if (this.locked) return; // writes to the other registers are ignored while locked
    switch (off) {
      case 0x000: this.load = v; this.reload(count); break;
      case 0x008: {
        const enabling = (this.control & 1) === 0 && (Number(v) & 1) !== 0;
        this.control = Number(v) & 3;
        if (enabling) this.reload(count); // re-enabling the interrupt reloads the counter
        break;
      }
      case 0x00c: this.interrupt = false; this.reload(count); break; // WdogIntClr: clear and reload
    }
    this.sync(count);
  }
}

// ---- SBSA generic watchdog (Arm DEN0029 "Server Base System Architecture", section "Watchdogs") ----

export class SbsaWatchdog implements TimedDevice {
  private wcs = 0; // EN bit 0, WS0 bit 1, WS1 bit 2
  private wor = 0n;
  private wcv = 0n;
  /** The WS1 signal: a second expiry without a refresh (a system reset on real hardware). */
  get ws1(): boolean {
    return (this.wcs & 4) !== 0;
  }

  constructor(private readonly ctx: PeripheralContext, readonly intid: number) {}

  /** An explicit refresh (or a WCS/WOR write): WS0 and WS1 clear, WCV = counter + WOR. */
  private refresh(count: bigint): void {
    this.wcs &= 1;
    this.wcv = (count + this.wor) & U64;
  }

  sync(count: bigint): bigint | undefined {
    if ((this.wcs & 1) === 0) {
      this.ctx.setSpi(this.intid, false);
      return undefined;
    }
    // Each timeout raises WS0, then WS1, and starts a new period (DEN0029 "Watchdog operation")
    while (count > this.wcv && (this.wcs & 4) === 0) {
      this.wcs |= (this.wcs & 2) !== 0 ? 4 : 2;
      this.wcv = (count + this.wor) & U64;
    }
    this.ctx.setSpi(this.intid, (this.wcs & 2) !== 0);
    return (this.wcs & 4) !== 0 ? undefined : this.wcv - count + 1n;
  }

  /** The refresh frame: any write to WRR (offset 0) refreshes. */
  readonly refreshFrame: DeviceHandler = {
    read: (offset) => (Number(offset) === 0xfcc ? 0x0001_043bn : 0n), // W_IIDR: Arm, architecture v0
    write: (offset) => {
      if (Number(offset) === 0) {
        const count = this.ctx.counter();
        this.refresh(count);
        this.sync(count);
      }
    },
  };

  /** The control frame: WCS, WOR, WCV. */
  readonly controlFrame: DeviceHandler = {
    read: (offset, size) => {
      const off = Number(offset);
      this.sync(this.ctx.counter());
      switch (off) {
        case 0x000: return BigInt(this.wcs);
        case 0x008: return this.wor;
        case 0x010: return size === 8 ? this.wcv : this.wcv & 0xffff_ffffn;
        case 0x014: return this.wcv >> 32n;
        case 0xfcc: return 0x0001_043bn;
      }
      return 0n;
    },
    write: (offset, size, value) => {
      const off = Number(offset);
      const count = this.ctx.counter();
      switch (off) {
        case 0x000: this.wcs = Number(value & 1n); this.refresh(count); break;
        case 0x008: this.wor = value & 0xffff_ffffn; this.refresh(count); break;
        case 0x010: this.wcv = size === 8 ? value : (this.wcv & ~0xffff_ffffn) | (value & 0xffff_ffffn); break;
        case 0x014: this.wcv = (this.wcv & 0xffff_ffffn) | ((value & 0xffff_ffffn) << 32n); break;
      }
      this.sync(count);
    },
  };
}

// ---- Memory-mapped generic timer (Arm ARM I2 "System Level Implementation of the Generic Timer") ----

/** CNTControlBase: the system counter's control (I2.3.3 CNTCR, CNTSR, CNTCV, CNTFID0). */
export class CntControl implements DeviceHandler {
  private cntcr = 1; // EN: the counter runs from reset here (its count is virtual time)
  constructor(private readonly ctx: PeripheralContext) {}
  read(offset: bigint, size: number): bigint {
    const count = this.ctx.counter();
    switch (Number(offset)) {
      case 0x000: return BigInt(this.cntcr);
      case 0x004: return 0n; // CNTSR: not halted, frequency 0
      case 0x008: return size === 8 ? count : count & 0xffff_ffffn;
      case 0x00c: return count >> 32n;
      case 0x020: return this.ctx.frequency; // CNTFID0
    }
    return 0n;
  }
  write(offset: bigint, _size: number, value: bigint): void {
    // The count is a function of executed instructions: CNTCV writes and disabling are not modelled
    if (Number(offset) === 0x000) this.cntcr = Number(value & 3n) | 1;
  }
}

/** One CNTBaseN frame's physical and virtual timers (I2.4 "The CNTBaseN and CNTEL0BaseN frames"). */
export class CntBaseFrame implements DeviceHandler, TimedDevice {
  private pCtl = 0;
  private pCval = 0n;
  private vCtl = 0;
  private vCval = 0n;
  cntvoff = 0n; // written through CNTCTLBase.CNTVOFF<n>

  /** FVP wires only the physical timer of each frame to an SPI: virtIntid is optional. */
  constructor(private readonly ctx: PeripheralContext, readonly physIntid: number, readonly virtIntid?: number) {}

  sync(count: bigint): bigint | undefined {
    let next: bigint | undefined;
    const one = (ctl: number, cval: bigint, now: bigint, intid: number | undefined) => {
      const live = (ctl & 1) !== 0 && (ctl & 2) === 0;
      if (intid !== undefined) this.ctx.setSpi(intid, live && now >= cval);
      if (live && now < cval && (next === undefined || cval - now < next)) next = cval - now;
    };
    one(this.pCtl, this.pCval, count, this.physIntid);
    one(this.vCtl, this.vCval, (count - this.cntvoff) & U64, this.virtIntid);
    return next;
  }

  read(offset: bigint, size: number): bigint {
    const count = this.ctx.counter();
    const vcount = (count - this.cntvoff) & U64;
    const lo = (v: bigint) => (size === 8 ? v : v & 0xffff_ffffn);
    const istatus = (ctl: number, now: bigint, cval: bigint) => BigInt(ctl | (now >= cval ? 4 : 0));
    switch (Number(offset)) {
      case 0x000: return lo(count);
      case 0x004: return count >> 32n;
      case 0x008: return lo(vcount);
      case 0x00c: return vcount >> 32n;
      case 0x010: return this.ctx.frequency;
      case 0x018: return lo(this.cntvoff);
      case 0x01c: return this.cntvoff >> 32n;
      case 0x020: return lo(this.pCval);
      case 0x024: return this.pCval >> 32n;
      case 0x028: return (this.pCval - count) & 0xffff_ffffn;
      case 0x02c: return istatus(this.pCtl, count, this.pCval);
      case 0x030: return lo(this.vCval);
      case 0x034: return this.vCval >> 32n;
      case 0x038: return (this.vCval - vcount) & 0xffff_ffffn;
      case 0x03c: return istatus(this.vCtl, vcount, this.vCval);
    }
    return 0n;
  }

  write(offset: bigint, size: number, value: bigint): void {
    const count = this.ctx.counter();
    const vcount = (count - this.cntvoff) & U64;
    const set = (old: bigint, hi: boolean) =>
      size === 8 ? value : hi ? (old & 0xffff_ffffn) | ((value & 0xffff_ffffn) << 32n) : (old & ~0xffff_ffffn) | (value & 0xffff_ffffn);
    const tval = (now: bigint) => (now + BigInt.asIntN(32, value)) & U64; // TVAL is signed (I2.4.7)
    switch (Number(offset)) {
      case 0x020: this.pCval = set(this.pCval, false); break;
      case 0x024: this.pCval = set(this.pCval, true); break;
      case 0x028: this.pCval = tval(count); break;
      case 0x02c: this.pCtl = Number(value & 3n); break;
      case 0x030: this.vCval = set(this.vCval, false); break;
      case 0x034: this.vCval = set(this.vCval, true); break;
      case 0x038: this.vCval = tval(vcount); break;
      case 0x03c: this.vCtl = Number(value & 3n); break;
    }
    this.sync(count);
  }
}

/** CNTCTLBase: which frames exist and their access controls, CNTVOFF<n> (I2.3.4). */
export class CntCtlBase implements DeviceHandler {
  private readonly acr: number[];
  private nsar = 0;
  constructor(private readonly ctx: PeripheralContext, private readonly frames: CntBaseFrame[]) {
    this.acr = frames.map(() => 0x3f);
  }
  read(offset: bigint, _size?: number): bigint {
    const off = Number(offset);
    if (off === 0x000) return this.ctx.frequency;
    if (off === 0x004) return BigInt(this.nsar);
    // CNTTIDR: 4 bits per frame; bit 0 frame implemented, bit 1 it has a virtual timer
    if (off === 0x008) return BigInt(this.frames.reduce((v, _, i) => v | (3 << (4 * i)), 0));
    if (off >= 0x040 && off < 0x040 + 4 * this.frames.length) return BigInt(this.acr[(off - 0x40) >> 2]);
    if (off >= 0x080 && off < 0x080 + 8 * this.frames.length) {
      const f = this.frames[(off - 0x80) >> 3];
      return off & 4 ? f.cntvoff >> 32n : f.cntvoff & 0xffff_ffffn;
    }
    return 0n;
  }
  write(offset: bigint, size: number, value: bigint): void {
    const off = Number(offset);
    if (off === 0x004) this.nsar = Number(value & 0xffn);
    else if (off >= 0x040 && off < 0x040 + 4 * this.frames.length) this.acr[(off - 0x40) >> 2] = Number(value & 0x3fn);
    else if (off >= 0x080 && off < 0x080 + 8 * this.frames.length) {
      const f = this.frames[(off - 0x80) >> 3];
      if (size === 8) f.cntvoff = value;
      else if (off & 4) f.cntvoff = (f.cntvoff & 0xffff_ffffn) | ((value & 0xffff_ffffn) << 32n);
      else f.cntvoff = (f.cntvoff & ~0xffff_ffffn) | (value & 0xffff_ffffn);
    }
  }
}

// ---- The peripheral bus ----

interface Mapping {
  name: string;
  base: bigint; // offset inside the window
  size: bigint;
  handler: DeviceHandler;
}

/**
 * One window of the FVP peripheral space: the devices in it by offset, and for everything else zero on
 * reads, writes ignored, and one warning per address.
 */
export class PeripheralWindow implements DeviceHandler {
  private readonly devices: Mapping[] = [];
  private readonly warned = new Set<bigint>();

  constructor(readonly base: bigint, readonly size: bigint, private readonly warn: (message: string) => void) {}

  map(name: string, pa: bigint, size: bigint, handler: DeviceHandler): void {
    this.devices.push({ name, base: pa - this.base, size, handler });
  }

  private find(offset: bigint): Mapping | undefined {
    return this.devices.find((d) => offset >= d.base && offset < d.base + d.size);
  }

  private unmodelled(offset: bigint, what: string): void {
    const pa = this.base + offset;
    if (this.warned.has(pa)) return;
    this.warned.add(pa);
    this.warn(`unmodelled device ${what} at PA 0x${pa.toString(16)}: reads as zero, writes are ignored`);
  }

  read(offset: bigint, size: number): bigint {
    const d = this.find(offset);
    if (d) return d.handler.read(offset - d.base, size);
    this.unmodelled(offset, 'read');
    return 0n;
  }

  write(offset: bigint, size: number, value: bigint): void {
    const d = this.find(offset);
    if (d) d.handler.write(offset - d.base, size, value);
    else this.unmodelled(offset, 'write');
  }
}
