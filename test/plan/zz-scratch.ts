import { readFileSync } from "node:fs";
import { fit } from "../../src/fit/fit.js";
const lines = readFileSync("/work/shared/data/sldbench-github/data_constrained_scaling_law/data.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
const col = (i: number, rows = lines) => Float64Array.from(rows, (c) => Number(c[i]));
const mk = (rows: string[][]) => { const params = col(1, rows), tokens = col(2, rows), uniqueTokens = col(3, rows), loss = col(4, rows); return { params, tokens, uniqueTokens, loss, flops: params.map((v, i) => 6 * v * tokens[i]) }; };
const all = mk(lines);
const single = mk(lines.filter((c) => +c[2] <= +c[3]));
console.log("single-epoch rows", single.loss.length);
for (const objective of ["huber-log", "ls-log"]) {
  const c = fit(single, { law: "chinchilla", objective });
  console.log(objective, "chinchilla on single", c.status, c.params);
  const r = fit(all, { law: "data-constrained", objective, fix: c.params });
  console.log("  stage 2", r.status, r.statusMessage, r.params.RNstar, r.params.RDstar, r.objective.value);
  const r3 = fit(all, { law: "data-constrained", objective, extraStarts: [Array.from(r.theta)] });
  console.log("  full from stage2", r3.status, r3.params, r3.objective.value);
}
