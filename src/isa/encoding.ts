// The A64 encoding table's vocabulary: an entry names an instruction form, its bit pattern with named
// fields, the handler file that executes it, and field combinations that are not this form (unallocated
// or owned by an earlier/later entry). Everything here is shared by the generator, the reference decoder,
// the test encoders and the random-instance generators, so all of them read the table the same way.

export interface Field {
  name: string;
  lo: number; // lowest bit position
  width: number;
}

/** One row of the table as written: `op('ADD_i', 'sf:1 0 0 100010 sh:1 imm12:12 rn:5 rd:5', 'dp')`. */
export interface OpSpec {
  name: string;
  pattern: string;
  group: string;
  /** Field-value combinations for which this row does not apply (each object is a conjunction). */
  unless?: Record<string, number>[];
}

export interface Encoding extends OpSpec {
  mask: number; // bits fixed by the pattern
  value: number; // their values
  fields: Field[]; // most significant first, the order handler parameters take
  excludes: { mask: number; value: number }[];
}

/** Parses a pattern of 32 bits: literal runs of 0/1/x and `name:width` fields, most significant first. */
export function compile(spec: OpSpec): Encoding {
  let pos = 32;
  let mask = 0;
  let value = 0;
  const fields: Field[] = [];
  for (const tok of spec.pattern.trim().split(/\s+/)) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*):(\d+)$/.exec(tok);
    if (m) {
      const width = Number(m[2]);
      pos -= width;
      fields.push({ name: m[1], lo: pos, width });
      continue;
    }
    if (!/^[01x]+$/.test(tok)) throw new Error(`${spec.name}: bad pattern token '${tok}'`);
    for (const ch of tok) {
      pos--;
      if (ch !== 'x') {
        mask |= 1 << pos;
        if (ch === '1') value |= 1 << pos;
      }
    }
  }
  if (pos !== 0) throw new Error(`${spec.name}: pattern has ${32 - pos} bits, not 32`);
  const names = new Set<string>();
  for (const f of fields) {
    if (names.has(f.name)) throw new Error(`${spec.name}: field '${f.name}' twice`);
    names.add(f.name);
  }
  const excludes = (spec.unless ?? []).map((conj) => {
    let xm = mask;
    let xv = value;
    for (const [name, v] of Object.entries(conj)) {
      const f = fields.find((g) => g.name === name);
      if (!f) throw new Error(`${spec.name}: 'unless' names unknown field '${name}'`);
      if (v < 0 || v >= 2 ** f.width) throw new Error(`${spec.name}: 'unless' value ${v} too wide for ${name}`);
      const fm = fieldMask(f);
      xm |= fm;
      xv = (xv & ~fm) | (v << f.lo);
    }
    return { mask: xm >>> 0, value: xv >>> 0 };
  });
  return { ...spec, mask: mask >>> 0, value: value >>> 0, fields, excludes };
}

export function fieldMask(f: Field): number {
  return f.width === 32 ? 0xffffffff : (((1 << f.width) - 1) << f.lo) >>> 0;
}

export function matches(e: Encoding, word: number): boolean {
  if (((word & e.mask) >>> 0) !== e.value) return false;
  for (const x of e.excludes) if (((word & x.mask) >>> 0) === x.value) return false;
  return true;
}

/** The oracle for the generated decoder: the first row, in table order, that matches. */
export function referenceDecode(table: Encoding[], word: number): Encoding | undefined {
  for (const e of table) if (matches(e, word)) return e;
  return undefined;
}

export function extract(e: Encoding, word: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of e.fields) out[f.name] = (word >>> f.lo) & (f.width === 32 ? 0xffffffff : (1 << f.width) - 1);
  return out;
}

/** Builds an instruction word from field values (missing fields are 0; wildcard bits are 0). */
export function encode(e: Encoding, fields: Record<string, number>): number {
  let w = e.value;
  for (const [name, v] of Object.entries(fields)) {
    const f = e.fields.find((g) => g.name === name);
    if (!f) throw new Error(`${e.name}: no field '${name}'`);
    if (v < 0 || v >= 2 ** f.width) throw new Error(`${e.name}: ${name}=${v} does not fit ${f.width} bits`);
    w = (w & ~fieldMask(f)) | (v << f.lo);
  }
  return w >>> 0;
}

/** A random instance of `e`: random field and wildcard bits, retried until no exclusion applies. */
export function randomInstance(e: Encoding, rand: () => number, fix: Record<string, number> = {}): number {
  for (let tries = 0; tries < 1000; tries++) {
    let w = ((rand() * 2 ** 32) >>> 0) & ~e.mask;
    w = (w | e.value) >>> 0;
    for (const [name, v] of Object.entries(fix)) {
      const f = e.fields.find((g) => g.name === name)!;
      w = ((w & ~fieldMask(f)) | (v << f.lo)) >>> 0;
    }
    if (matches(e, w)) return w;
  }
  throw new Error(`${e.name}: no instance satisfies its exclusions with ${JSON.stringify(fix)}`);
}

/** Deterministic PRNG (mulberry32) so every random test names its seed and can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
