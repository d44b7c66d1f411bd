import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { loadRuns } from "../../src/data/load.js";
import { openStore, writeParquet } from "../../src/data/store.js";
import { tempDir } from "../data/files.js";
import { runCli } from "../fixtures/cli.js";
import { ladder, mutate, rng } from "../fixtures/mutations.js";
import { event, records, summaryValue } from "../fixtures/tfevents.js";
import { WANDB_METRIC, WANDB_RUNS, writeWandbFolder } from "../fixtures/wandb.js";

/** Everything in a store, as one string: any change to any row changes it. */
async function fingerprint(db: string): Promise<string> {
  const s = await openStore(db);
  try {
    const t = await s.query();
    return JSON.stringify([
      t.family,
      t.model,
      Array.from(t.params),
      Array.from(t.tokens),
      Array.from(t.value),
      t.seed,
      Array.from(t.step),
    ]);
  } finally {
    await s.close();
  }
}

/**
 * Imports `argv` into `db` and checks the outcome: exit 0 or 2, no stack trace, and the store
 * either unchanged (refused) or grown by exactly the rows reported.
 */
async function importChecked(db: string, argv: readonly string[]): Promise<0 | 2> {
  const before = await fingerprint(db);
  const res = await runCli(["import", ...argv, "--db", db, "--json"]);
  const after = await fingerprint(db);
  const what = `${argv.join(" ")}: exit ${res.code}\n${res.err}`;
  assert.ok(res.code === 0 || res.code === 2, what);
  assert.doesNotMatch(res.err, /\n\s+at |internal error/, what);
  if (res.code === 2) assert.equal(after, before, `a refused import changed the store: ${what}`);
  else {
    const j = JSON.parse(res.out);
    assert.equal(JSON.parse(after)[0].length, JSON.parse(before)[0].length + j.inserted, what);
  }
  return res.code as 0 | 2;
}

test("random and mutated files: no crash, no stack trace, exit 0 or 2, never a partial store", async () => {
  const r = rng(20240611);
  const dir = tempDir();
  const db = join(dir, "p.duckdb");
  const base = join(dir, "base.csv");
  writeFileSync(base, ladder(r));
  assert.equal((await runCli(["import", base, "--db", db])).code, 0);
  const parquetBytes = await (async () => {
    const p = join(dir, "base.parquet");
    await writeParquet(await loadRuns(base), p);
    return readFileSync(p);
  })();
  const counts = { 0: 0, 2: 0 };
  for (let k = 0; k < 60; k++) {
    const kind = k % 6;
    let file: string;
    if (kind === 5) {
      // Parquet with bytes cut or overwritten.
      const b = Buffer.from(parquetBytes);
      const at = Math.floor(r() * b.length);
      const cut = r() < 0.5;
      file = join(dir, `m${k}.parquet`);
      writeFileSync(
        file,
        cut
          ? b.subarray(0, at)
          : b.fill(Math.floor(r() * 256), at, Math.min(b.length, at + 1 + Math.floor(r() * 64))),
      );
    } else {
      const text =
        r() < 0.2 ? ladder(r) : mutate(r() < 0.5 ? readFileSync(base, "utf8") : ladder(r), r);
      if (kind === 4) {
        const [head, ...rows] = text.split("\n");
        const names = head.split(",");
        const json = rows.map(
          (l) =>
            `{${l
              .split(",")
              .map(
                (c, i) =>
                  `${JSON.stringify(names[i] ?? `c${i}`)}: ${/^-?[\d.e]+$/.test(c) ? c : JSON.stringify(c)}`,
              )
              .join(", ")}}`,
        );
        file = join(dir, `m${k}.jsonl`);
        writeFileSync(file, mutate(json.join("\n"), r));
      } else {
        file = join(dir, `m${k}.csv`);
        writeFileSync(file, text);
      }
    }
    counts[await importChecked(db, [file])]++;
  }
  // Both outcomes occur, so the test exercises acceptance as well as refusal.
  assert.ok(counts[0] > 0 && counts[2] > 0, JSON.stringify(counts));
});

/** Flips, cuts or overwrites a few bytes of a binary file. */
function damage(bytes: Buffer, r: () => number): Buffer {
  const b = Buffer.from(bytes);
  const at = Math.floor(r() * b.length);
  if (r() < 0.4) return b.subarray(0, at);
  for (let k = 1 + Math.floor(r() * 4); k > 0; k--)
    b[Math.floor(r() * b.length)] ^= 1 + Math.floor(r() * 255);
  return b;
}

const WHERES = [
  "lr < 1e-3",
  '"train/loss" < 4',
  "shots = 0 AND task = 'x'",
  "nosuch = 1",
  "step >",
  "_step > 100",
  "seed = '0' OR loss > 2",
  "model LIKE 'm%'",
];

test("new input paths (several files, patterns, manifests, .gz, TensorBoard, --where over file columns, --strict): exit 0 or 2, no stack, never a partial store", async () => {
  const r = rng(20261201);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const root = tempDir();
  const db = join(root, "p.duckdb");
  const seed = join(root, "seed.csv");
  writeFileSync(seed, ladder(r));
  assert.equal((await runCli(["import", seed, "--db", db])).code, 0);
  const wandb = join(root, "wandb");
  writeWandbFolder(wandb, true);
  const wandbText = readFileSync(join(wandb, `${WANDB_RUNS[0].name}.csv`), "utf8");
  const tb = records([
    event(0, 1, []),
    ...[1, 2, 3].map((s) =>
      event(s * 100, s, [summaryValue("eval/loss", 3 - s / 10, "double-val")]),
    ),
  ]);
  const counts = { 0: 0, 2: 0 };
  for (let k = 0; k < 48; k++) {
    const dir = join(root, `case${k}`);
    mkdirSync(dir);
    const argv: string[] = [];
    switch (k % 6) {
      case 0: {
        // Several runs at once, each a mutated W&B history, with a manifest that may be damaged.
        for (const w of WANDB_RUNS.slice(0, 2)) {
          const text = r() < 0.3 ? wandbText : mutate(wandbText, r);
          writeFileSync(join(dir, `${w.name}.csv`), text);
        }
        const manifest = `file,params,family\n${WANDB_RUNS.slice(0, 2)
          .map((w) => `${w.name}.csv,${w.params / 1e6}M,wandb${k}`)
          .join("\n")}\n`;
        writeFileSync(join(dir, "runs.csv"), r() < 0.5 ? manifest : mutate(manifest, r));
        argv.push(join(dir, "ladder-*.csv"), "--manifest", join(dir, "runs.csv"));
        argv.push("--metric", pick([WANDB_METRIC, "train/loss", "lr"]));
        break;
      }
      case 1: {
        const text = mutate(ladder(r), r);
        const gz = gzipSync(text);
        writeFileSync(join(dir, "runs.csv.gz"), r() < 0.5 ? gz : damage(gz, r));
        argv.push(join(dir, "runs.csv.gz"));
        break;
      }
      case 2: {
        writeFileSync(join(dir, "events.out.tfevents.1.host"), r() < 0.3 ? tb : damage(tb, r));
        writeFileSync(
          join(dir, "m.csv"),
          `file,params\nevents.out.tfevents.1.host,${pick(["20M", "x", "0", "1e8"])}\n`,
        );
        argv.push(join(dir, "events.out.tfevents.1.host"), "--manifest", join(dir, "m.csv"));
        argv.push("--metric", "eval/loss", "--tokens-per-step", "1M");
        break;
      }
      case 3: {
        writeFileSync(
          join(dir, "w.csv"),
          mutate(wandbText.replace("lr,", "lr,").replace(/^_step/, "_step"), r),
        );
        writeFileSync(join(dir, "m.csv"), `file,params\nw.csv,60M\n`);
        argv.push(join(dir, "w.csv"), "--manifest", join(dir, "m.csv"), "--metric", "train/loss");
        argv.push("--where", pick(WHERES));
        if (r() < 0.5) argv.push("--strict");
        break;
      }
      case 4: {
        // Glob characters in names: the literal file, or a pattern over several.
        writeFileSync(join(dir, "runs[1].csv"), mutate(ladder(r), r));
        writeFileSync(join(dir, "runs1.csv"), ladder(r));
        argv.push(join(dir, pick(["runs[1].csv", "runs*.csv", "nothing*.csv", "runs?.csv"])));
        break;
      }
      default: {
        const a = r() < 0.5 ? ladder(r) : mutate(ladder(r), r);
        writeFileSync(join(dir, "a.csv"), a);
        writeFileSync(
          join(dir, "b.jsonl"),
          r() < 0.5 ? "" : '{"params": 1e8, "tokens": 1e9, "loss": 3}\n',
        );
        argv.push(join(dir, "a.csv"), join(dir, "b.jsonl"));
        if (r() < 0.5) argv.push("--strict");
      }
    }
    counts[await importChecked(db, argv)]++;
  }
  assert.ok(counts[0] > 0 && counts[2] > 0, JSON.stringify(counts));
});

/** Files from the reliability sweep's new cases (issue 10), each generated from the seed. */
function hostile(r: () => number, dir: string, k: number): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const rows = ladder(r).trimEnd().split("\n");
  const records = rows.slice(1).map((l) => {
    const [family, model, params, tokens, loss, step, seed] = l.split(",");
    return JSON.stringify({
      family,
      model,
      params: +params,
      tokens: +tokens,
      loss: +loss,
      step: +step,
      seed,
    });
  });
  const depth = 10 + Math.floor(r() * 3000);
  const kind = pick([
    "deep-json",
    "deep-jsonl",
    "unterminated-jsonl",
    "trailing-comma",
    "mixed-endings",
    "long-header",
    "ragged",
    "good-json",
  ] as const);
  const name = join(
    dir,
    `h${k}-${kind}.${kind.includes("json") || kind === "trailing-comma" ? (kind.endsWith("jsonl") ? "jsonl" : "json") : "csv"}`,
  );
  const text = {
    "deep-json": `${"[".repeat(depth)}${"]".repeat(depth)}`,
    "deep-jsonl": `${records[0]}\n${'{"a":'.repeat(depth)}1${"}".repeat(depth)}\n`,
    "unterminated-jsonl": records
      .map((l, i) =>
        i === Math.floor(r() * records.length)
          ? l.replace('"model": "', '"model": "x').replace(/"(,"params)/, "$1")
          : l,
      )
      .join("\n"),
    "trailing-comma": `[${records.join(",\n")},\n]`,
    "mixed-endings": rows
      .map((l, i) => (i === 1 + Math.floor(r() * (rows.length - 1)) ? `${l}\r` : l))
      .join("\n"),
    "long-header": `${"x".repeat((1 << 20) + Math.floor(r() * 1000))},${rows[0]}\n${rows
      .slice(1)
      .map((l) => `0,${l}`)
      .join("\n")}\n`,
    ragged: rows
      .map((l, i) => (i === 1 + Math.floor(r() * (rows.length - 1)) ? `${l},1` : l))
      .join("\n"),
    "good-json": `[${records.join(",\n")}]`,
  }[kind];
  writeFileSync(name, text);
  return name;
}

test("hostile files and --where filters: import, fit and evaluate exit 0 or 2 with one line, never a partial store", async () => {
  const r = rng(20261201);
  const dir = tempDir();
  const db = join(dir, "h.duckdb");
  assert.equal((await runCli(["import", join(dir, "..", "x"), "--db", db])).code, 2);
  const wheres = [
    "loss < 4",
    "params >= 1e8 AND NOT (model IN ('m0'))",
    "glob('/*') IS NOT NULL",
    "(SELECT 1) = 1",
    "loss < 4; DROP TABLE runs",
    "length(read_text('/etc/hostname')) > 0",
    "range(10) IS NULL",
    "lower(model) LIKE 'm%'",
  ];
  const counts = { 0: 0, 2: 0 };
  for (let k = 0; k < 16; k++) {
    const file = hostile(r, dir, k);
    const where = r() < 0.5 ? ["--where", wheres[Math.floor(r() * wheres.length)]] : [];
    const before = existsSync(db) ? await fingerprint(db) : "";
    for (const argv of [
      ["import", file, "--db", db, ...where],
      ["fit", file, "--law", "power", ...where],
      ["evaluate", file, "--family", "f", "--law", "power", ...where],
    ]) {
      const res = await runCli(argv);
      const what = `${argv.join(" ").slice(0, 200)}: exit ${res.code}\n${res.err.slice(0, 500)}`;
      assert.ok(res.code === 0 || res.code === 2, what);
      assert.doesNotMatch(res.err, /\n\s+at |internal error/, what);
      if (res.code === 2)
        assert.match(res.err, /^scaleladder: [^\n]+\n$|^scaleladder: \d+\+? problems/, what);
      counts[res.code as 0 | 2]++;
      if (argv[0] === "import" && res.code === 2 && before)
        assert.equal(await fingerprint(db), before, `a refused import changed the store: ${what}`);
    }
  }
  assert.ok(counts[0] > 0 && counts[2] > 0, JSON.stringify(counts));
});
