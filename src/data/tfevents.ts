import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors.js";

/**
 * TensorBoard event files (`events.out.tfevents.*`), scalars only. There is no maintained npm
 * reader of the Event protobuf that does not bring protobufjs and generated code with it, and a
 * scalar needs five fields, so this is a small reader of its own:
 *
 * - framing (TFRecord): uint64 length, masked CRC32C of the length, payload, masked CRC32C of the
 *   payload, all little-endian;
 * - `Event` (tensorflow/core/util/event.proto): wall_time = 1 (double), step = 2 (int64),
 *   summary = 5; `Summary.value` = 1, repeated; `Summary.Value`: tag = 1, simple_value = 2 (float),
 *   tensor = 8 (`TensorProto`: dtype = 1, tensor_content = 4, float_val = 5, double_val = 6,
 *   int_val = 7, int64_val = 10), as PyTorch and TensorFlow 2 write scalars.
 */

/** One logged scalar. */
export interface ScalarEvent {
  readonly step: number;
  readonly wallTime: number;
  readonly tag: string;
  readonly value: number;
}

/** Whether a file name is a TensorBoard event file. */
export function isEventFile(name: string): boolean {
  return /(^|[/\\])events\.out\.tfevents\.[^/\\]*$/.test(name);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC32C (Castagnoli), as TFRecord uses it. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotated right by 15 bits plus a constant, so CRCs of CRCs differ. */
export function maskedCrc(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/**
 * Reads every scalar of an event file, record by record (images and histograms are skipped
 * without being decoded). A record cut short at the end of the file, as a run still writing leaves
 * it, ends the reading; a checksum that does not match is an error.
 * @throws InputError naming the file and the byte offset of a damaged record
 */
export function readScalarEvents(path: string, label = path): ScalarEvent[] {
  const fd = openSync(path, "r");
  const out: ScalarEvent[] = [];
  try {
    const head = Buffer.alloc(12);
    const tail = Buffer.alloc(4);
    let pos = 0;
    for (;;) {
      if (readSync(fd, head, 0, 12, pos) < 12) break;
      const length = head.readBigUInt64LE(0);
      if (head.readUInt32LE(8) !== maskedCrc(head.subarray(0, 8)) || length > 1n << 31n) {
        throw damaged(label, pos, "its length checksum does not match");
      }
      const n = Number(length);
      const payload = Buffer.alloc(n);
      if (readSync(fd, payload, 0, n, pos + 12) < n) break;
      if (readSync(fd, tail, 0, 4, pos + 12 + n) < 4) break;
      if (tail.readUInt32LE(0) !== maskedCrc(payload))
        throw damaged(label, pos, "its data checksum does not match");
      try {
        decodeEvent(payload, out);
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw damaged(label, pos, "its event cannot be decoded");
      }
      pos += 16 + n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

function damaged(file: string, pos: number, why: string): InputError {
  return new InputError(
    `not a readable TensorBoard event file: the record at byte ${pos}: ${why}`,
    {
      file,
      hint: "the file is damaged; copy it again from the training machine",
    },
  );
}

/** A protobuf field walker over one message. */
class Proto {
  private at = 0;
  constructor(private readonly b: Uint8Array) {}

  done(): boolean {
    return this.at >= this.b.length;
  }

  /** The next field's number and wire type, or undefined at the end. */
  next(): { field: number; wire: number } | undefined {
    if (this.at >= this.b.length) return undefined;
    const key = this.varint();
    return { field: Number(key >> 3n), wire: Number(key & 7n) };
  }

  varint(): bigint {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (this.at >= this.b.length) throw new Error("truncated varint");
      const byte = this.b[this.at++];
      v |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return v;
      shift += 7n;
      if (shift > 70n) throw new Error("varint too long");
    }
  }

  bytes(): Uint8Array {
    const n = Number(this.varint());
    if (this.at + n > this.b.length) throw new Error("truncated field");
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  fixed(size: 4 | 8): DataView {
    if (this.at + size > this.b.length) throw new Error("truncated field");
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.at, size);
    this.at += size;
    return v;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.fixed(8);
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.fixed(4);
    else throw new Error(`wire type ${wire}`);
  }
}

function decodeEvent(b: Uint8Array, out: ScalarEvent[]): void {
  const p = new Proto(b);
  let wallTime = Number.NaN;
  let step = 0;
  const summaries: Uint8Array[] = [];
  for (let f = p.next(); f; f = p.next()) {
    if (f.field === 1 && f.wire === 1) wallTime = p.fixed(8).getFloat64(0, true);
    else if (f.field === 2 && f.wire === 0) step = Number(BigInt.asIntN(64, p.varint()));
    else if (f.field === 5 && f.wire === 2) summaries.push(p.bytes());
    else p.skip(f.wire);
  }
  for (const s of summaries) {
    const q = new Proto(s);
    for (let f = q.next(); f; f = q.next()) {
      if (f.field === 1 && f.wire === 2) {
        const v = decodeValue(q.bytes());
        if (v) out.push({ step, wallTime, tag: v.tag, value: v.value });
      } else q.skip(f.wire);
    }
  }
}

function decodeValue(b: Uint8Array): { tag: string; value: number } | undefined {
  const p = new Proto(b);
  let tag = "";
  let value: number | undefined;
  for (let f = p.next(); f; f = p.next()) {
    if (f.field === 1 && f.wire === 2) tag = new TextDecoder().decode(p.bytes());
    else if (f.field === 2 && f.wire === 5) value = p.fixed(4).getFloat32(0, true);
    else if (f.field === 8 && f.wire === 2) value = decodeScalarTensor(p.bytes());
    else p.skip(f.wire);
  }
  return value === undefined ? undefined : { tag, value };
}

/** DataType values of scalar tensors: DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64. */
const DT = { float: 1, double: 2, int32: 3, int64: 9 } as const;

/** The value of a one-element float, double or integer tensor; undefined for anything else. */
function decodeScalarTensor(b: Uint8Array): number | undefined {
  const p = new Proto(b);
  let dtype = 0;
  const values: number[] = [];
  let content: Uint8Array | undefined;
  for (let f = p.next(); f; f = p.next()) {
    if (f.field === 1 && f.wire === 0) dtype = Number(p.varint());
    else if (f.field === 4 && f.wire === 2) content = p.bytes();
    else if (f.field === 5 && f.wire === 2) {
      const d = p.bytes();
      const v = new DataView(d.buffer, d.byteOffset, d.length);
      for (let i = 0; i + 4 <= d.length; i += 4) values.push(v.getFloat32(i, true));
    } else if (f.field === 5 && f.wire === 5) values.push(p.fixed(4).getFloat32(0, true));
    else if (f.field === 6 && f.wire === 2) {
      const d = p.bytes();
      const v = new DataView(d.buffer, d.byteOffset, d.length);
      for (let i = 0; i + 8 <= d.length; i += 8) values.push(v.getFloat64(i, true));
    } else if (f.field === 6 && f.wire === 1) values.push(p.fixed(8).getFloat64(0, true));
    else if ((f.field === 7 || f.field === 10) && f.wire === 0)
      values.push(Number(BigInt.asIntN(64, p.varint())));
    else if ((f.field === 7 || f.field === 10) && f.wire === 2) {
      const q = new Proto(p.bytes());
      while (!q.done()) values.push(Number(BigInt.asIntN(64, q.varint())));
    } else p.skip(f.wire);
  }
  if (content !== undefined) {
    const v = new DataView(content.buffer, content.byteOffset, content.length);
    if (dtype === DT.float && content.length === 4) return v.getFloat32(0, true);
    if (dtype === DT.double && content.length === 8) return v.getFloat64(0, true);
    if (dtype === DT.int32 && content.length === 4) return v.getInt32(0, true);
    if (dtype === DT.int64 && content.length === 8) return Number(v.getBigInt64(0, true));
    return undefined;
  }
  return values.length === 1 ? values[0] : undefined;
}

/**
 * Scalars as a wide CSV, one row per step and one column per tag (`step,wall_time,<tags…>`),
 * empty where a tag was not logged at that step. A tag logged twice at one step keeps its last
 * value, as TensorBoard shows it after a restart.
 */
export function scalarsToCsv(events: readonly ScalarEvent[]): string {
  const tags = [...new Set(events.map((e) => e.tag))].filter(
    (t) => t !== "step" && t !== "wall_time",
  );
  const col = new Map(tags.map((t, i) => [t, i]));
  const rows = new Map<number, { wall: number; cells: string[] }>();
  for (const e of events) {
    const i = col.get(e.tag);
    if (i === undefined) continue;
    let r = rows.get(e.step);
    if (!r) {
      r = { wall: e.wallTime, cells: new Array<string>(tags.length).fill("") };
      rows.set(e.step, r);
    }
    r.cells[i] = String(e.value);
  }
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [["step", "wall_time", ...tags].map(q).join(",")];
  for (const step of [...rows.keys()].sort((a, b) => a - b)) {
    const r = rows.get(step)!;
    lines.push([String(step), String(r.wall), ...r.cells].join(","));
  }
  return `${lines.join("\n")}\n`;
}
