import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { crc32c, isEventFile, readScalarEvents, scalarsToCsv } from "../../src/data/tfevents.js";
import { runCli } from "../fixtures/cli.js";
import { event, records, summaryValue } from "../fixtures/tfevents.js";
import { chinchillaLoss } from "../fixtures/wandb.js";
import { tempDir, writeTemp } from "./files.js";

test("CRC32C matches the standard check value", () => {
  // The CRC-32C check value of "123456789" (RFC 3720 §B.4; the "check" column of the CRC catalogue).
  assert.equal(crc32c(Buffer.from("123456789")), 0xe3069283);
});

test("scalars come back from every encoding, with steps and wall times; other events are skipped", () => {
  const file = writeTemp(
    "events.out.tfevents.1700000000.host",
    records([
      event(0, 1.7e9, []),
      event(10, 1.7e9 + 1, [summaryValue("train/loss", 3.5), summaryValue("lr", 1e-3)]),
      event(20, 1.7e9 + 2, [summaryValue("train/loss", 3.25, "tensor-content")]),
      event(30, 1.7e9 + 3, [summaryValue("train/loss", 3.125, "float-val")]),
      event(2 ** 40, 1.7e9 + 4, [summaryValue("eval/loss", 3.0000000001, "double-val")]),
    ]),
  );
  const ev = readScalarEvents(file);
  assert.deepEqual(
    ev.map((e) => [e.step, e.tag, e.value]),
    [
      [10, "train/loss", 3.5],
      [10, "lr", Math.fround(1e-3)],
      [20, "train/loss", 3.25],
      [30, "train/loss", 3.125],
      [2 ** 40, "eval/loss", 3.0000000001],
    ],
  );
  assert.equal(ev[0].wallTime, 1.7e9 + 1);
  assert.equal(
    scalarsToCsv(ev),
    `step,wall_time,train/loss,lr,eval/loss\n10,1700000001,3.5,${Math.fround(1e-3)},\n20,1700000002,3.25,,\n30,1700000003,3.125,,\n${2 ** 40},1700000004,,,3.0000000001\n`,
  );
  assert.ok(isEventFile("runs/a/events.out.tfevents.1700000000.host.123.0"));
  assert.ok(!isEventFile("events.csv"));
});

test("a record cut short ends the file; a damaged checksum names the record's byte", () => {
  const one = records([event(1, 1, [summaryValue("loss", 3)])]);
  const two = Buffer.concat([one, records([event(2, 2, [summaryValue("loss", 2.5)])])]);
  const cut = writeTemp("events.out.tfevents.cut", two.subarray(0, two.length - 3));
  assert.deepEqual(
    readScalarEvents(cut).map((e) => e.step),
    [1],
  );
  const bad = Buffer.from(two);
  bad[one.length + 14] ^= 0xff; // a payload byte of the second record
  const path = writeTemp("events.out.tfevents.bad", bad);
  assert.throws(
    () => readScalarEvents(path),
    new RegExp(
      `not a readable TensorBoard event file: the record at byte ${one.length}: its data checksum does not match`,
    ),
  );
});

test("a TensorBoard log folder per run, with a manifest, fits like any other file", async () => {
  const dir = tempDir();
  const sizes = [
    ["20M", 20e6],
    ["60M", 60e6],
    ["150M", 150e6],
  ] as const;
  const tokensPerStep = 2 ** 20;
  for (const [name, params] of sizes) {
    mkdirSync(join(dir, name));
    const events = [event(0, 1.7e9, [])];
    for (let s = 100; s <= 2000; s += 100) {
      const tokens = s * tokensPerStep;
      events.push(
        event(s, 1.7e9 + s, [
          summaryValue("eval/loss", chinchillaLoss(params, tokens), "double-val"),
        ]),
      );
      events.push(event(s, 1.7e9 + s, [summaryValue("train/loss", 4, "simple")]));
    }
    writeFileSync(join(dir, name, "events.out.tfevents.1700000000.host"), records(events));
  }
  writeFileSync(
    join(dir, "manifest.csv"),
    `file,params\n${sizes.map(([n]) => `${n}/events.out.tfevents.1700000000.host,${n}`).join("\n")}\n`,
  );
  const r = await runCli([
    "runs",
    join(dir, "*", "events.out.tfevents.*"),
    "--manifest",
    join(dir, "manifest.csv"),
    "--metric",
    "eval/loss",
    "--tokens-per-step",
    String(tokensPerStep),
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const models = JSON.parse(r.out).families[0].models;
  assert.deepEqual(
    models.map((m: { model: string; params: number; checkpoints: number }) => [
      m.model,
      m.params,
      m.checkpoints,
    ]),
    sizes.map(([n, p]) => [n, p, 20]),
  );
  const broken = join(dir, "60M", "events.out.tfevents.1700000000.host");
  writeFileSync(broken, Buffer.from("not an event file at all, but long enough"));
  const b = await runCli(["runs", broken, "--manifest", join(dir, "manifest.csv")]);
  assert.equal(b.code, 2);
  assert.match(
    b.err,
    /60M\/events\.out\.tfevents\.1700000000\.host: not a readable TensorBoard event file/,
  );
});

test("problems in an event file are placed by training step, not by a line it does not have", async () => {
  const dir = tempDir();
  const file = join(dir, "events.out.tfevents.1.host");
  writeFileSync(
    file,
    records([
      event(100, 1, [summaryValue("eval/loss", 3.1, "double-val")]),
      event(200, 2, [summaryValue("eval/loss", 2.9, "double-val")]),
      event(300, 3, [summaryValue("eval/loss", Number.NaN, "double-val")]),
    ]),
  );
  writeFileSync(join(dir, "m.csv"), "file,params\nevents.out.tfevents.1.host,20M\n");
  const r = await runCli([
    "runs",
    file,
    "--manifest",
    join(dir, "m.csv"),
    "--metric",
    "eval/loss",
    "--tokens-per-step",
    "1M",
  ]);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /events\.out\.tfevents\.1\.host: eval\/loss is not a finite number \("NaN"\) \(step 300\); hint: /,
  );
});
