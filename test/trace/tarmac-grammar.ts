// A Tarmac line validator written from the grammar Arm's tarmac-trace-utilities parse
// (shared/reference/tarmac.md, section 2): tokens, the line skeleton, and the IT, R, MR/MW and E forms
// with their width and suffix rules. It returns what a line means so tests can check the trace's content.

export type TarmacLine =
  | { type: 'IT'; time: number; va: bigint; pa?: bigint; paSuffix?: string; enc: number; mode: string; disasm: string }
  | { type: 'R'; time: number; reg: string; value: bigint }
  | { type: 'M'; time: number; write: boolean; size: number; va: bigint; pa?: bigint; value: bigint }
  | { type: 'E'; time: number; pc: bigint; id: number; event: string }
  | { type: 'TEXT'; time: number; kind: string; text: string };

const UNITS = new Set(['clk', 'ns', 'ps', 'cs', 'cyc', 'tic', 'us']);
/** Types TTU takes as text events without a warning (tarmac.md 2.1). */
const SILENT_TEXT = new Set(['CADI', 'P', 'CACHE', 'TTW', 'BR', 'INFO_EXCEPTION_REASON', 'SIGNAL', 'EXC']);
const HEX = /^[0-9a-fA-F]+$/;

/** Tokens: single punctuation of `:()[],<>`, or words of [A-Za-z0-9_\-.#]+ (tarmac.md 2.1). */
export function tokenize(line: string): { tokens: string[]; offsets: number[] } {
  const tokens: string[] = [];
  const offsets: number[] = [];
  const re = /[:()[\],<>]|[A-Za-z0-9_\-.#]+|\S/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    tokens.push(m[0]);
    offsets.push(m.index);
  }
  return { tokens, offsets };
}

class Cursor {
  i = 0;
  constructor(readonly line: string, readonly tokens: string[], readonly offsets: number[]) {}
  peek(): string | undefined { return this.tokens[this.i]; }
  next(what: string): string {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new Error(`expected ${what}, found end of line`);
    return t;
  }
  expect(tok: string): void {
    const t = this.next(`'${tok}'`);
    if (t !== tok) throw new Error(`expected '${tok}', found '${t}'`);
  }
  hex(what: string, digits?: number): bigint {
    const t = this.next(what);
    if (!HEX.test(t)) throw new Error(`expected ${what} (hex), found '${t}'`);
    if (digits !== undefined && t.length !== digits) throw new Error(`${what} '${t}' is not ${digits} hex digits`);
    return BigInt(`0x${t}`);
  }
  rest(): string {
    return this.i < this.tokens.length ? this.line.slice(this.offsets[this.i]) : '';
  }
  done(): boolean { return this.i >= this.tokens.length; }
}

/** pa ::= HEX | HEX "_S" | HEX "_NS" (tarmac.md 2.2: no other suffix parses). */
function pa(c: Cursor): { pa: bigint; suffix?: string } {
  const t = c.next('a physical address');
  const m = /^([0-9a-fA-F]+)(_S|_NS)?$/.exec(t);
  if (!m) throw new Error(`'${t}' is not a physical address (HEX, HEX_S or HEX_NS)`);
  return { pa: BigInt(`0x${m[1]}`), suffix: m[2] };
}

// Register names TTU recognises (tarmac.md 2.3) and the hex digits their values take
function registerWidth(name: string): number | undefined {
  const n = name.toLowerCase();
  if (/^[xe]([12]?[0-9]|30)$/.test(n) || n === 'xsp' || /^sp_el[0-3]$/.test(n) || n === 'sp') return 16;
  if (/^w([12]?[0-9]|30)$/.test(n) || n === 'wsp' || /^r(1[0-5]|[0-9])$/.test(n) || n === 'lr') return 8;
  if (n === 'cpsr' || n === 'psr' || n === 'fpcr' || n === 'fpsr' || n === 'fpscr') return 8;
  if (/^[qv]([12]?[0-9]|3[01])$/.test(n)) return 32;
  if (/^d([12]?[0-9]|3[01])$/.test(n)) return 16;
  if (/^s([12]?[0-9]|3[01])$/.test(n)) return 8;
  return undefined;
}

/** Parses one line; throws with the reason TTU would reject it. `prevTime` is the last line's time. */
export function parseTarmacLine(line: string, prevTime: number): TarmacLine {
  const { tokens, offsets } = tokenize(line);
  const c = new Cursor(line, tokens, offsets);
  let time = prevTime;
  const first = c.peek();
  if (first !== undefined && /^\d+$/.test(first)) {
    time = Number(c.next('timestamp'));
    if (c.peek() !== undefined && UNITS.has(c.peek()!)) c.next('unit');
  }
  if (time < prevTime) throw new Error(`timestamp ${time} goes back from ${prevTime}`);
  if (c.peek()?.startsWith('cpu')) c.next('cpu');
  const type = c.next('an event type');
  switch (type) {
    case 'IT': case 'IS': case 'IF': {
      c.expect('(');
      c.hex('an index or address');
      c.expect(')');
      const va = c.hex('an address');
      let p: { pa: bigint; suffix?: string } | undefined;
      if (c.peek() === ':') {
        c.next(':');
        p = pa(c);
      }
      const encTok = c.peek() ?? '';
      const enc = Number(c.hex('an encoding'));
      if (encTok.length !== 8) throw new Error(`A64 encoding '${encTok}' is not 8 hex digits`);
      const state = c.next('an instruction set state');
      if (!['A', 'T', 'T16', 'T32', 'O'].includes(state)) throw new Error(`'${state}' is not an instruction set state`);
      let mode = '';
      if (c.peek() !== ':') mode = c.next('a mode');
      c.expect(':');
      return { type: 'IT', time, va, pa: p?.pa, paSuffix: p?.suffix, enc, mode, disasm: c.rest() };
    }
    case 'R': {
      const reg = c.next('a register name');
      const width = registerWidth(reg);
      if (width === undefined) throw new Error(`register '${reg}' is not one TTU models`);
      const parts: string[] = [];
      while (!c.done()) {
        const t = c.next('register contents');
        if (t === ':') continue;
        if (!/^[0-9A-Fa-f_xX-]+$/.test(t)) throw new Error(`'${t}' is not register contents`);
        parts.push(t.replace(/_/g, ''));
      }
      const digits = parts.join('');
      if (digits.length === 0) throw new Error(`R ${reg} has no contents`);
      const psr = /^c?psr$/i.test(reg);
      if (!/^0+$/.test(digits) && !(psr && digits.length <= 9) && digits.length !== width) {
        throw new Error(`R ${reg} value '${digits}' is ${digits.length} digits, the register takes ${width}`);
      }
      return { type: 'R', time, reg: reg.toUpperCase(), value: BigInt(`0x${digits}`) };
    }
    case 'E': {
      const pc = c.hex('a PC');
      const id = Number(c.hex('an exception id'));
      const event = c.next('an event name');
      if (!event.startsWith('CoreEvent_')) throw new Error(`'${event}' is not a CoreEvent_`);
      if (!c.done()) throw new Error(`junk after the event: '${c.rest()}'`);
      return { type: 'E', time, pc, id, event };
    }
    default: {
      const mem = /^M?([RW])(\d+)([A-Z_]*)$/.exec(type);
      if (mem && type !== 'R') {
        const size = Number(mem[2]);
        if (![1, 2, 4, 8, 16].includes(size)) throw new Error(`memory access size ${size}`);
        const va = c.hex('a virtual address');
        let p: { pa: bigint } | undefined;
        if (c.peek() === ':') {
          c.next(':');
          p = pa(c);
        }
        const tokensLeft: string[] = [];
        while (!c.done()) tokensLeft.push(c.next('contents').replace(/_/g, ''));
        const want = size === 16 ? 2 : 1;
        if (tokensLeft.length !== want) throw new Error(`${type} takes ${want} value token(s), found ${tokensLeft.length}`);
        for (const t of tokensLeft) {
          if (!/^[0-9a-fA-FxX]+$/.test(t)) throw new Error(`'${t}' is not memory contents`);
          if (t.length !== Math.min(size, 8) * 2) throw new Error(`${type} value '${t}' is not ${Math.min(size, 8) * 2} digits`);
        }
        return { type: 'M', time, write: mem[1] === 'W', size, va, pa: p?.pa, value: BigInt(`0x${tokensLeft.reverse().join('')}`) };
      }
      if (!SILENT_TEXT.has(type)) throw new Error(`unknown Tarmac event type '${type}' (TTU warns)`);
      return { type: 'TEXT', time, kind: type, text: c.rest() };
    }
  }
}

/** Parses a whole trace: every line must parse, timestamps never go back. */
export function parseTarmac(text: string): TarmacLine[] {
  const out: TarmacLine[] = [];
  let time = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const l = parseTarmacLine(line, time);
      time = l.time;
      out.push(l);
    } catch (e) {
      throw new Error(`line ${i + 1}: ${(e as Error).message}: ${line}`);
    }
  });
  return out;
}
