import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinLadder, LADDER_FAMILY } from "../../src/data/simulate/ladder.js";
import { forecastWithInterval } from "../../src/estimate/forecast-interval.js";

test("forecastWithInterval: a prediction interval around the confidence interval, and a warning for 2 runs", async () => {
  const t = builtinLadder(0);
  const u = { resamples: 30, seed: 0, workers: 1 };
  const fw = await forecastWithInterval(t, { family: LADDER_FAMILY, minTokens: 2.5e8 }, u);
  assert.ok(fw.interval && fw.prediction);
  assert.ok(fw.prediction[0] <= fw.interval[0] && fw.prediction[1] >= fw.interval[1]);
  assert.ok((fw.noise?.checkpointSd ?? 0) > 0);
  assert.equal(fw.intervalWarning, null);
  const two = await forecastWithInterval(
    t,
    { family: LADDER_FAMILY, minTokens: 2.5e8, train: { kind: "smallest", k: 2 } },
    u,
  );
  assert.match(two.intervalWarning ?? "", /2 training runs: .* do not trust these intervals/);
  const none = await forecastWithInterval(t, { family: LADDER_FAMILY, minTokens: 2.5e8 });
  assert.equal(none.prediction, null);
});
