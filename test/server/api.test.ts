import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { main } from "../../src/cli/main.js";
import { openStore } from "../../src/data/store.js";
import { type Running, startServer } from "../../src/server/server.js";
import { ladder, mutate, rng } from "../fixtures/mutations.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

/** One request with node:http (fetch cannot set Host). */
function call(
  s: Running,
  method: string,
  path: string,
  o: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Reply> {
  const url = new URL(path, s.origin);
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token !== null) headers["x-scaleladder-token"] = o.token ?? s.token;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

const post = (s: Running, path: string, body: unknown) =>
  call(s, "POST", path, { body: JSON.stringify(body) });

/** A ladder of five sizes, four checkpoints each, from L = 1.8 + 400·N^-0.34 + 2000·D^-0.37. */
function ladderCsv(): string {
  const lines = ["model,params,tokens,loss"];
  for (const n of [1e7, 2e7, 4e7, 8e7, 1.6e8]) {
    for (const f of [0.25, 0.5, 0.75, 1]) {
      const d = 20 * n * f;
      lines.push(`m${n},${n},${d},${1.8 + 400 * n ** -0.34 + 2000 * d ** -0.37}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

async function upload(s: Running, name: string, text: string) {
  return call(s, "POST", `/api/upload?name=${encodeURIComponent(name)}`, { body: text });
}

async function loaded(s: Running, text = ladderCsv()): Promise<string> {
  const u = await upload(s, "ladder.csv", text);
  assert.equal(u.status, 200, u.text);
  const l = await post(s, "/api/load", { upload: u.json.upload });
  assert.equal(l.status, 200, l.text);
  return l.json.dataset as string;
}

describe("scaleladder serve: the JSON API", () => {
  let s: Running;
  before(async () => {
    s = await startServer({ port: 0 });
  });
  after(async () => {
    await s.close();
  });

  test("the page needs the token; the token becomes a cookie and leaves the address", async () => {
    assert.equal((await call(s, "GET", "/", { token: null })).status, 403);
    const first = await call(s, "GET", `/?token=${s.token}`, { token: null });
    assert.equal(first.status, 302);
    assert.equal(first.headers.location, "/");
    const cookie = String(first.headers["set-cookie"]).split(";")[0];
    assert.match(String(first.headers["set-cookie"]), /HttpOnly; SameSite=Strict/);
    const page = await call(s, "GET", "/", { token: null, headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(page.text, /<script src="\/app.js" defer><\/script>/);
    const csp = String(page.headers["content-security-policy"]);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    // The API takes the cookie as well as the header.
    assert.equal(
      (await call(s, "GET", "/api/info", { token: null, headers: { cookie } })).status,
      200,
    );
    assert.equal((await call(s, "GET", `/?token=${"0".repeat(48)}`, { token: null })).status, 403);
  });

  test("wrong token → 403; foreign Host or Origin → 403 (DNS rebinding)", async () => {
    const wrong = await call(s, "GET", "/api/info", { token: "nope" });
    assert.equal(wrong.status, 403);
    assert.match(String(wrong.json.error), /wrong token/);
    const none = await call(s, "GET", "/api/info", { token: null });
    assert.equal(none.status, 403);
    const host = await call(s, "GET", "/api/info", { headers: { host: "attacker.example:80" } });
    assert.equal(host.status, 403);
    assert.match(String(host.json.error), /Host "attacker.example:80" is not this server/);
    const origin = await call(s, "GET", "/api/info", {
      headers: { origin: "http://attacker.example" },
    });
    assert.equal(origin.status, 403);
    assert.equal(
      (await call(s, "GET", "/api/info", { headers: { host: "localhost" } })).status,
      200,
    );
  });

  test("static files: vega's browser builds and the page's script, nothing else", async () => {
    for (const p of ["/vendor/vega.min.js", "/vendor/vega-interpreter.min.js", "/app.js"]) {
      const r = await call(s, "GET", p, { token: null });
      assert.equal(r.status, 200, p);
      assert.match(String(r.headers["content-type"]), /javascript/);
    }
    assert.equal((await call(s, "GET", "/../package.json", { token: null })).status, 404);
    assert.equal((await call(s, "GET", "/vendor/../../package.json", { token: null })).status, 404);
  });

  test("info lists laws, objectives, presets and accelerators", async () => {
    const r = await call(s, "GET", "/api/info");
    assert.equal(r.status, 200);
    const laws = r.json.laws as { name: string }[];
    assert.ok(laws.some((l) => l.name === "chinchilla"));
    assert.ok((r.json.objectives as string[]).includes("huber-log"));
    assert.ok((r.json.presets as string[]).includes("hoffmann"));
  });

  test("upload: columns, first rows and a suggested mapping", async () => {
    const r = await upload(s, "sizes.csv", "Model Size,Training FLOP,loss,x\n1e8,1e18,3.1,1\n");
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.columns, ["Model Size", "Training FLOP", "loss", "x"]);
    assert.deepEqual(r.json.suggested, {
      params: "Model Size",
      flops: "Training FLOP",
      loss: "loss",
    });
    assert.equal(r.json.rows, 1);
  });

  test("a malformed file → 400 with the CLI's file:line:column message", async () => {
    const u = await upload(s, "bad.csv", "params,tokens,loss\n1e8,2e9,3.5\n2e8,2e9,oops\n");
    const r = await post(s, "/api/load", { upload: u.json.upload });
    assert.equal(r.status, 400);
    assert.match(String(r.json.error), /^bad\.csv:3:3: loss is not a finite number \("oops"\)/);
    assert.doesNotMatch(r.text, /scaleladder-serve-/, "no temporary path in messages");
  });

  test("random and mutated uploads: 200 or 400 with one-line messages, never a 5xx or a stack trace", async () => {
    const r = rng(20261201);
    const seen = new Set<number>();
    for (let k = 0; k < 40; k++) {
      const text = k % 4 === 0 ? ladder(r) : mutate(ladder(r), r);
      const u = await upload(s, `case${k}.csv`, text);
      const l = u.status === 200 ? await post(s, "/api/load", { upload: u.json.upload }) : u;
      seen.add(l.status);
      assert.ok(l.status === 200 || l.status === 400, `case ${k}: ${l.status} ${l.text}`);
      if (l.status === 400) {
        const lines = [String(l.json.error), ...((l.json.problems as string[]) ?? [])];
        for (const line of lines) {
          assert.doesNotMatch(line, /\n|^\s+at /, `case ${k}: one line, no stack: ${line}`);
        }
        continue;
      }
      const f = await post(s, "/api/fit", { dataset: l.json.dataset });
      assert.ok(f.status === 200 || f.status === 400, `case ${k}: fit ${f.status} ${f.text}`);
      assert.doesNotMatch(f.text, /\n\s+at /, `case ${k}: no stack in the fit's reply`);
    }
    assert.deepEqual(
      [...seen].sort(),
      [200, 400],
      "the batch holds both accepted and refused files",
    );
  });

  test("a misspelled column is named in the page's words: the option's plain name, no flag", async () => {
    const u = await upload(s, "typo.csv", "parms,tokens,loss\n1e8,2e9,3.5\n2e8,2e9,3.1\n");
    const r = await post(s, "/api/load", { upload: u.json.upload, mapping: {} });
    assert.equal(r.status, 400, r.text);
    assert.match(String(r.json.error), /map it with params "parms"/);
    assert.doesNotMatch(r.text, /`|--params-col/);
  });

  test("warnings and the guide's checks name the page's controls, never a flag or a backquote", async () => {
    // Two sizes and an empty loss: a skip warning, and checks that point at the early cut and at
    // fixed parameters.
    const text =
      "model,params,tokens,loss\na,1e8,1e9,3.5\na,1e8,2e9,\nb,2e8,1e9,3.2\nb,2e8,2e9,3.0\n";
    const u = await upload(s, "two.csv", text);
    const l = await post(s, "/api/load", { upload: u.json.upload });
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.json.warnings, [
      "two.csv: skipped 1 row with no loss (the command line's --strict refuses them)",
    ]);
    const r = await post(s, "/api/advise", {
      dataset: l.json.dataset,
      params: "1B",
      tokens: "20B",
    });
    assert.equal(r.status, 200, r.text);
    const checks = (r.json.runs as { current: { checks: { message: string }[] } }).current.checks;
    const said = checks.map((c) => c.message).join("\n");
    assert.match(said, /fix or borrow the exponents \("Fixed or borrowed parameters"\)/);
    assert.doesNotMatch(said, /`|--/);
  });

  test("several problems come as a list, one line each", async () => {
    const u = await upload(s, "two.csv", "params,tokens,loss\nx,2e9,3.5\n2e8,y,3.1\n");
    const r = await post(s, "/api/load", { upload: u.json.upload });
    assert.equal(r.status, 400);
    const problems = r.json.problems as string[];
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^two\.csv:2:1: /);
    assert.match(problems[1], /^two\.csv:3:2: /);
  });

  test("a mapping that names a missing column → 400 naming it", async () => {
    const u = await upload(s, "m.csv", ladderCsv());
    const r = await post(s, "/api/load", { upload: u.json.upload, mapping: { params: "size" } });
    assert.equal(r.status, 400);
    assert.match(String(r.json.error), /size/);
  });

  test("fit: converged, the generating parameters back, both figures", async () => {
    const dataset = await loaded(s);
    const r = await post(s, "/api/fit", { dataset });
    assert.equal(r.status, 200, r.text);
    const fit = r.json.fit as { status: string; params: Record<string, number> };
    assert.equal(fit.status, "converged");
    // Noise-free data from alpha = 0.34, beta = 0.37 (ladderCsv): the fit recovers them.
    assert.ok(Math.abs(fit.params.alpha - 0.34) < 1e-3, String(fit.params.alpha));
    assert.ok(Math.abs(fit.params.beta - 0.37) < 1e-3, String(fit.params.beta));
    const figures = r.json.figures as Record<string, { $schema: string }>;
    assert.deepEqual(Object.keys(figures).sort(), ["fit", "residuals"]);
    assert.match(figures.fit.$schema, /vega-lite/);
  });

  test("fit options: fixed values, the token cut and the fraction reach the library", async () => {
    const dataset = await loaded(s);
    const fixed = await post(s, "/api/fit", { dataset, fix: "alpha=0.3", objective: "ls-log" });
    const f = fixed.json.fit as { params: Record<string, number>; n: number };
    assert.equal(f.params.alpha, 0.3);
    // Checkpoints with D ≥ 1e9 (ladderCsv: D = 20·N·f): three of 1.6e8, two of 8e7.
    const cut = await post(s, "/api/fit", {
      dataset,
      minTokens: "1B",
      fix: "alpha=0.34,beta=0.37",
    });
    assert.equal(cut.status, 200, cut.text);
    assert.equal((cut.json.fit as { n: number }).n, 5);
    // Fraction 0.6 of each run: the checkpoints at 0.25 and 0.5 of its tokens, 2 × 5 runs.
    const frac = await post(s, "/api/fit", { dataset, fraction: 0.6 });
    assert.equal((frac.json.fit as { n: number }).n, 10);
    const bad = await post(s, "/api/fit", { dataset, delta: "0.1", objective: "ls" });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /^delta: delta does nothing with objective ls/);
    const law = await post(s, "/api/fit", { dataset, law: "nope" });
    assert.equal(law.status, 400);
  });

  test("bootstrap resamples give intervals, seeded", async () => {
    const dataset = await loaded(s);
    const a = await post(s, "/api/fit", { dataset, bootstrap: 20, seed: 3 });
    const b = await post(s, "/api/fit", { dataset, bootstrap: 20, seed: 3 });
    const ia = (a.json.fit as { intervals: Record<string, number[]> }).intervals;
    assert.ok(ia.alpha.length === 2);
    assert.deepEqual(ia, (b.json.fit as { intervals: unknown }).intervals);
  });

  test("forecast at N and D: the law's value, extrapolation factors, the figure", async () => {
    const dataset = await loaded(s);
    const r = await post(s, "/api/forecast", { dataset, params: "1B", tokens: "20B" });
    assert.equal(r.status, 200, r.text);
    const truth = 1.8 + 400 * 1e9 ** -0.34 + 2000 * 2e10 ** -0.37;
    const est = r.json.estimate as { value: number };
    assert.ok(Math.abs(est.value - truth) / truth < 1e-3, `${est.value} vs ${truth}`);
    const x = r.json.extrapolation as Record<string, number>;
    assert.ok(Math.abs(x.N - 1e9 / 1.6e8) < 1e-9);
    assert.ok("forecast" in (r.json.figures as object));
    const missing = await post(s, "/api/forecast", { dataset, params: "1B" });
    assert.equal(missing.status, 400);
    assert.match(String(missing.json.error), /^tokens: give the target's params and tokens/);
  });

  test("forecast of a held-out model: ARE and baselines", async () => {
    const dataset = await loaded(s);
    const r = await post(s, "/api/forecast", { dataset, heldOut: "m160000000", minTokens: 0 });
    assert.equal(r.status, 200, r.text);
    const h = r.json.heldOut as { are: number; baselines: object; target: string };
    assert.equal(h.target, "m160000000");
    assert.ok(h.are < 1e-3, String(h.are));
    assert.ok(Object.keys(h.baselines).length > 0);
    assert.ok("forecast" in (r.json.figures as object));
  });

  test("plan: budget from FLOPs under the fit, or GPUs × days under a preset", async () => {
    const dataset = await loaded(s);
    const r = await post(s, "/api/plan", { dataset, budget: "1e20" });
    assert.equal(r.status, 200, r.text);
    const a = r.json.allocation as { flops: number; params: number; tokens: number };
    assert.ok(Math.abs(6 * a.params * a.tokens - 1e20) / 1e20 < 1e-6);
    assert.equal((r.json.comparison as unknown[]).length, 4);
    assert.ok("contours" in (r.json.figures as object));
    const hw = await post(s, "/api/plan", {
      preset: "hoffmann",
      gpus: 1000,
      days: 10,
      accelerator: "a100",
      price: 2,
    });
    assert.equal(hw.status, 200, hw.text);
    // 1000 × 10 days × 24 h × 3600 s × 312e12 FLOP/s × 0.4 (default MFU).
    assert.ok(
      Math.abs((hw.json.budget as number) / (1000 * 10 * 86400 * 312e12 * 0.4) - 1) < 1e-12,
    );
    const u = hw.json.units as { cost: number; days: number };
    assert.ok(Math.abs(u.days - 10) < 1e-9);
    assert.ok(Math.abs(u.cost - 1000 * 240 * 2) < 1e-6);
    const none = await post(s, "/api/plan", { preset: "hoffmann" });
    assert.equal(none.status, 400);
    assert.match(String(none.json.error), /^budget: give a budget/);
  });

  test("advise: ladders for a target, and a judgement of the loaded runs", async () => {
    const dataset = await loaded(s);
    const r = await post(s, "/api/advise", { dataset, params: "1B", tokens: "20B", minTokens: 0 });
    assert.equal(r.status, 200, r.text);
    const plan = r.json.plan as { ladders: unknown[]; target: { flops: number } };
    assert.ok(plan.ladders.length > 0);
    assert.equal(plan.target.flops, 6 * 1e9 * 2e10);
    const runs = r.json.runs as {
      family: string;
      current: { features: { scaleUp: number; models: number } };
    };
    assert.equal(runs.family, "ladder");
    // The largest run is 1.6e8 of the five sizes: a 1B target is 6.25× beyond it.
    assert.ok(Math.abs(runs.current.features.scaleUp - 1e9 / 1.6e8) < 1e-9);
    assert.equal(runs.current.features.models, 5);
    const alone = await post(s, "/api/advise", { params: "70B", tokens: "1.4T" });
    assert.equal(alone.status, 200);
    assert.equal(alone.json.runs, null);
    const bad = await post(s, "/api/advise", { params: "70B" });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /^tokens: give the target's params and tokens/);
  });

  test("report: a self-contained HTML download", async () => {
    const dataset = await loaded(s);
    const r = await post(s, "/api/report", {
      dataset,
      bootstrap: 0,
      params: "1B",
      tokens: "20B",
      budget: "1e20",
    });
    assert.equal(r.status, 200);
    assert.match(String(r.headers["content-type"]), /text\/html/);
    assert.match(String(r.headers["content-disposition"]), /attachment/);
    assert.match(r.text, /Scaling-law report: chinchilla law on ladder\.csv/);
    assert.match(r.text, /Compute-optimal at C = 1e20/);
    // The figures of `scaleladder report` (report/assemble.ts), the bootstrap's once it has replicates.
    const captions = (t: string) => [...t.matchAll(/<figcaption>([^<]*)</g)].map((m) => m[1]);
    assert.deepEqual(captions(r.text), [
      "Loss against tokens per run with the fitted law",
      "Relative residuals of the fit",
      "Loss against compute with the law&#39;s compute-optimal frontier",
      "Iso-loss contours of the fitted law with the efficient frontier",
    ]);
    const resampled = await post(s, "/api/report", { dataset, bootstrap: 4, seed: 1 });
    assert.equal(resampled.status, 200, resampled.text);
    assert.equal(captions(resampled.text).at(-1), "Fitted parameters across bootstrap resamples");
  });

  test("bad requests: unknown dataset 404, not JSON 400, unknown API 404", async () => {
    const gone = await post(s, "/api/fit", { dataset: "nothing" });
    assert.equal(gone.status, 404);
    assert.match(String(gone.json.error), /load the data again/);
    const notJson = await call(s, "POST", "/api/fit", { body: "{oops" });
    assert.equal(notJson.status, 400);
    assert.match(String(notJson.json.error), /not JSON/);
    assert.equal((await call(s, "GET", "/api/nothing")).status, 404);
  });
});

describe("scaleladder serve: limits, store, cleanup", () => {
  test("an upload over --max-upload → 413, with and without Content-Length", async () => {
    const s = await startServer({ port: 0, maxUpload: 100 });
    try {
      const big = "params,tokens,loss\n".padEnd(200, "x");
      const r = await upload(s, "big.csv", big);
      assert.equal(r.status, 413);
      assert.match(String(r.json.error), /over the limit of 100 bytes/);
      const chunked = await call(s, "POST", "/api/upload?name=big.csv", {
        body: Buffer.from(big),
        headers: { "transfer-encoding": "chunked" },
      });
      assert.equal(chunked.status, 413);
    } finally {
      await s.close();
    }
  });

  test("families from the store, and the uploads folder removed on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-serve-"));
    const csv = join(dir, "ladder.csv");
    writeFileSync(csv, ladderCsv());
    const db = join(dir, "store.duckdb");
    const store = await openStore(db);
    await store.importFile(csv);
    await store.close();
    const s = await startServer({ port: 0, db });
    try {
      const r = await call(s, "GET", "/api/store");
      const fams = r.json.families as { family: string }[];
      assert.deepEqual(
        fams.map((f) => f.family),
        ["ladder"],
      );
      const l = await post(s, "/api/load", { store: true, where: "family = 'ladder'" });
      assert.equal(l.status, 200, l.text);
      assert.equal(l.json.rows, 20);
      await upload(s, "x.csv", ladderCsv());
      assert.ok(existsSync(s.uploads));
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(existsSync(s.uploads), false);
  });
});

describe("scaleladder serve: the Guide", () => {
  test("without --analysis the Guide says so; with it, heatmaps and the cheapest ladders", async () => {
    const bare = await startServer({ port: 0 });
    try {
      const r = await call(bare, "GET", "/api/guide");
      assert.equal(r.status, 200);
      assert.equal(r.json.available, false);
    } finally {
      await bare.close();
    }
    const dir = mkdtempSync(join(tmpdir(), "sl-guide-"));
    const quiet = { out: () => {}, err: () => {} };
    const code = await main(
      ["analyze", "--builtin", "--experiment", "grid", "--out", dir],
      quiet as never,
    );
    assert.equal(code, 0);
    const s = await startServer({ port: 0, analysis: dir });
    try {
      const all = await call(s, "GET", "/api/guide");
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(all.json.families, ["simulated-chinchilla"]);
      assert.match(
        JSON.stringify((all.json.figure as { title: unknown }).title),
        /ARE over all families/,
      );
      const one = await call(s, "GET", "/api/guide?family=simulated-chinchilla");
      assert.match(
        JSON.stringify(one.json.figure),
        /"title":"simulated-chinchilla: #train models × fraction"/,
      );
      const none = await call(s, "GET", "/api/guide?family=nope");
      assert.equal(none.status, 400);
      assert.match(String(none.json.error), /^family: no heatmap rows of family "nope"/);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const broken = await startServer({ port: 0, analysis: join(tmpdir(), "no-such-analysis") });
    try {
      const r = await call(broken, "GET", "/api/guide");
      assert.equal(r.status, 400);
      assert.match(String(r.json.error), /summary\.json: cannot read/);
    } finally {
      await broken.close();
    }
  });
});
