import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { judgeRuns, planLadders } from "../analysis/advise.js";
import { toFitData } from "../data/fitdata.js";
import { inspectFile } from "../data/inspect.js";
import { loadRuns } from "../data/load.js";
import { fileStem } from "../data/manifest.js";
import { selectRows } from "../data/select.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { forecastWithInterval } from "../estimate/forecast-interval.js";
import { fitWithUncertainty, predictWithInterval } from "../estimate/uncertainty.js";
import { getObjective, objectiveNames } from "../fit/objectives/index.js";
import { fitQuality } from "../fit/quality.js";
import { getLaw, lawNames } from "../laws/index.js";
import { extent } from "../math/stats.js";
import { ACCELERATORS, getAccelerator } from "../plan/accelerators.js";
import { approach2 } from "../plan/approach2.js";
import { clusterFlops } from "../plan/budgets.js";
import { compareScalingRules } from "../plan/compare.js";
import { allocationWithIntervals, fittedPlanModel } from "../plan/from-fit.js";
import type { PlanModel } from "../plan/model.js";
import { getPreset, presetNames } from "../plan/presets.js";
import { budgetFromHardware, computeUnits } from "../plan/units.js";
import { assembleReport } from "../report/assemble.js";
import { reportHtml } from "../report/document.js";
import { fitJson } from "../report/fit.js";
import { forecastJson } from "../report/forecast.js";
import { plotSpec, type Spec } from "../report/plots/index.js";
import { guideFigure } from "./guide.js";
import { HttpError, readJson, receiveFile } from "./http.js";
import { inPageTerms } from "./page-terms.js";
import { fitRequest, loadOptions, num, text } from "./requests.js";
import type { Session } from "./session.js";

/** What a handler gets: the request, its parsed URL, the session and the upload limit. */
export interface Ctx {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly session: Session;
  readonly maxUpload: number;
}

/** A handler's answer: JSON, or a file to download. */
export type Answer =
  | unknown
  | { readonly file: string; readonly type: string; readonly name: string };

const VERSION = "0.1.0";

/** The JSON API, `METHOD /path` → handler. Every handler calls the library; none holds logic of its own. */
export const ROUTES: Record<string, (c: Ctx) => Promise<Answer>> = {
  "GET /api/info": async (c) => ({
    version: VERSION,
    laws: lawNames.map((n) => ({
      name: n,
      params: getLaw(n).params.map((p) => p.name),
      formula: getLaw(n).formula,
    })),
    objectives: objectiveNames,
    presets: presetNames,
    accelerators: ACCELERATORS.map((a) => ({ name: a.name, peakFlops: a.peakFlops })),
    db: c.session.db ?? null,
    maxUpload: c.maxUpload,
  }),

  "GET /api/store": async (c) => {
    const db = c.session.db;
    if (!db || !existsSync(db)) return { db: db ?? null, families: [] };
    const { openStore } = await import("../data/store.js");
    const store = await openStore(db);
    try {
      return { db, families: await store.summary() };
    } finally {
      await store.close();
    }
  },

  "GET /api/guide": async (c) => {
    const a = c.session.analysis();
    if (!a) return { available: false, families: [], protocols: [], figure: null };
    const protocol = c.url.searchParams.get("protocol") || a.protocols[0] || "default";
    const family = c.url.searchParams.get("family") || undefined;
    return {
      available: true,
      families: a.families,
      protocols: a.protocols,
      cheapest: a.summary.cheapest.filter((r) => family === undefined || r.family === family),
      figure: guideFigure(a, family, protocol),
    };
  },

  "POST /api/advise": async (c) => {
    const body = await readJson(c.req);
    const params = num(body, "params", { positive: true });
    const tokens = num(body, "tokens", { positive: true });
    if (params === undefined || tokens === undefined)
      throw new InputError("give the target's params and tokens", {
        field: params === undefined ? "params" : "tokens",
        hint: "e.g. 70B and 1.4T",
      });
    const minTokens = num(body, "minTokens", { min: 0 });
    const plan = planLadders({
      targetParams: params,
      targetTokens: tokens,
      budget: num(body, "budget", { positive: true }),
      minTokens,
    });
    if (body.dataset === undefined || body.dataset === null || body.dataset === "")
      return { plan, runs: null };
    const table = c.session.table(body.dataset);
    const family = text(body, "family") ?? table.family[0];
    const runs = judgeRuns(table, family, params, tokens, minTokens);
    const checks = runs.current.checks.map((k) => ({ ...k, message: inPageTerms(k.message) }));
    return { plan, runs: { ...runs, current: { ...runs.current, checks } } };
  },

  "POST /api/upload": async (c) => {
    const name = c.url.searchParams.get("name") ?? "upload.csv";
    const u = c.session.newUpload(name);
    const bytes = await receiveFile(c.req, u.path, c.maxUpload);
    const upload = { ...u, bytes };
    c.session.addUpload(upload);
    const format = c.url.searchParams.get("format") ?? undefined;
    return {
      upload: u.id,
      name: u.name,
      bytes,
      ...(await inspectFile(u.path, format || undefined)),
    };
  },

  "POST /api/load": async (c) => {
    const body = await readJson(c.req);
    const options = loadOptions(body);
    let table: RunTable;
    if (body.store === true) {
      if (!c.session.db) throw new HttpError(400, "no store: start the server with --db FILE");
      const { openStore } = await import("../data/store.js");
      const store = await openStore(c.session.db);
      try {
        table = await store.query(options.where, { metric: options.metric ?? "loss" });
      } finally {
        await store.close();
      }
      if (table.length === 0)
        throw new InputError("no rows in the store match", {
          file: c.session.db,
          hint: "check the family, metric and filter",
        });
    } else {
      const u = c.session.upload(body.upload);
      table = await loadRuns(u.path, {
        defaultFamily: fileStem(u.name),
        ...options,
        metric: options.metric ?? "loss",
      });
    }
    return {
      dataset: c.session.addTable(table),
      ...describeTable(table, (m) => c.session.scrub(m)),
    };
  },

  "POST /api/fit": async (c) => {
    const body = await readJson(c.req);
    const { table, data, u, record } = await fitFromBody(c, body);
    const replicates = u.replicates.flatMap((r) => (r.theta ? [r.theta] : []));
    const level = u.bootstrap?.level ?? 0.95;
    return {
      fit: fitJson(u, record, true),
      quality: fitQuality(u.fit, data),
      warnings: (table.warnings ?? []).map((w) => inPageTerms(c.session.scrub(w))),
      figures: {
        fit: plotSpec("fit", { data, fit: u.fit, replicates, level, source: record.source }),
        residuals: plotSpec("residuals", { data, fit: u.fit, source: record.source }),
      },
    };
  },

  "POST /api/forecast": async (c) => {
    const body = await readJson(c.req);
    const heldOut = text(body, "heldOut");
    if (heldOut !== undefined) {
      const table = c.session.table(body.dataset);
      const req = fitRequest(body);
      const family = req.selection.family ?? table.family[table.model.indexOf(heldOut)];
      if (family === undefined)
        throw new InputError(`no model "${heldOut}" in the data`, {
          field: "heldOut",
          hint: "pick one of the listed models",
        });
      const fw = await forecastWithInterval(
        table,
        {
          family,
          target: heldOut,
          minTokens: req.selection.minTokens,
          fraction: req.selection.fraction,
          fit: req.fit,
        },
        req.uncertainty,
      );
      const data = {
        source: c.session.scrub(table.origin),
        rows: fw.forecast.train.rows,
        runs: fw.forecast.train.models.length,
        filters: [`family = ${family}`],
        paramsDefinition: "as given in the params column",
      };
      return {
        heldOut: forecastJson(fw, { data }, true),
        figures: { forecast: plotSpec("forecast", { table, result: fw }) },
      };
    }
    const params = num(body, "params", { positive: true });
    const tokens = num(body, "tokens", { positive: true });
    if (params === undefined || tokens === undefined)
      throw new InputError("give the target's params and tokens, or a held-out model", {
        field: params === undefined ? "params" : "tokens",
        hint: "e.g. 70B and 1.4T",
      });
    const { data, u, record } = await fitFromBody(c, body);
    const target = { params, tokens, flops: 6 * params * tokens };
    const max = (a: ArrayLike<number>) => extent(a)[1];
    const replicates = u.replicates.flatMap((r) => (r.theta ? [r.theta] : []));
    return {
      target,
      estimate: predictWithInterval(u, target),
      level: u.bootstrap?.level ?? null,
      extrapolation: {
        N: params / max(data.params),
        D: tokens / max(data.tokens),
        C: target.flops / max(data.flops),
      },
      fit: fitJson(u, record, true),
      figures: {
        forecast: plotSpec("fit", {
          data,
          fit: u.fit,
          replicates,
          level: u.bootstrap?.level ?? 0.95,
          target,
          source: record.source,
        }),
      },
    };
  },

  "POST /api/plan": async (c) => {
    const body = await readJson(c.req);
    const gpus = num(body, "gpus", { positive: true });
    const accelerator = text(body, "accelerator");
    const hardware =
      gpus !== undefined
        ? {
            gpus,
            peakFlops: getAccelerator(accelerator ?? "h100").peakFlops,
            mfu: num(body, "mfu", { positive: true, max: 1 }),
            pricePerGpuHour: num(body, "price", { min: 0 }),
          }
        : undefined;
    const days = num(body, "days", { positive: true });
    const budget =
      num(body, "budget", { positive: true }) ??
      (hardware && days !== undefined ? budgetFromHardware(hardware, days) : undefined);
    if (budget === undefined)
      throw new InputError("give a budget in FLOPs, or GPUs and days", {
        field: "budget",
        hint: "e.g. 5.76e23, or 1024 GPUs × 30 days",
      });
    const preset = text(body, "preset");
    let model: PlanModel;
    let replicates: Float64Array[] = [];
    let level = 0.95;
    let runs:
      | { params: Float64Array; tokens: Float64Array; flops: Float64Array; loss: Float64Array }
      | undefined;
    if (preset !== undefined) model = getPreset(preset);
    else {
      const f = await fitFromBody(c, body);
      const fitted = fittedPlanModel(f.u.fit, f.record.source);
      if (!fitted.planable)
        throw new InputError(`law ${f.u.fit.law.name} has no compute-optimal allocation`, {
          field: "law",
          hint: "plan with a law of N and D, e.g. chinchilla, or a preset",
        });
      model = fitted.model;
      replicates = f.u.replicates.flatMap((r) => (r.theta ? [r.theta] : []));
      level = f.u.bootstrap?.level ?? 0.95;
      runs = f.data;
    }
    const figures: Record<string, Spec> = {
      contours: plotSpec("contours", { model, runs, budget }),
    };
    let isoflopNote: string | null = null;
    if (runs) {
      try {
        const grouping = clusterFlops(runs.flops);
        const result = approach2(runs, grouping);
        figures.isoflop = plotSpec("isoflop", { data: runs, grouping, result });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        isoflopNote = `no iso-FLOP figure: ${e.message}`;
      }
    } else isoflopNote = "the iso-FLOP figure needs runs: plan from the current fit";
    return {
      budget,
      units: computeUnits(budget, hardware),
      model: { name: model.name, reference: model.reference },
      allocation: allocationWithIntervals(model, replicates, budget, level),
      comparison: compareScalingRules(model, budget),
      isoflopNote,
      figures,
    };
  },

  "POST /api/report": async (c) => {
    const body = await readJson(c.req);
    const { data, u, record } = await fitFromBody(c, body, 100);
    const params = num(body, "params", { positive: true });
    const tokens = num(body, "tokens", { positive: true });
    const input = assembleReport({
      data,
      fit: u,
      record,
      target: params !== undefined && tokens !== undefined ? { params, tokens } : undefined,
      // A budget the law cannot allocate (a law of compute alone) leaves the plan out.
      budget: num(body, "budget", { positive: true }),
      command: `scaleladder serve (page settings: ${JSON.stringify({ ...body, dataset: undefined })})`,
      version: VERSION,
    });
    return {
      file: reportHtml(input),
      type: "text/html; charset=utf-8",
      name: "scaleladder-report.html",
    };
  },
};

/**
 * Sizes, families and models of a loaded table, for the page's data summary and model pickers;
 * `scrub` takes temporary paths out of its texts.
 */
function describeTable(t: RunTable, scrub: (message: string) => string) {
  const models = new Map<
    string,
    { model: string; family: string; params: number; rows: number; maxTokens: number }
  >();
  for (let i = 0; i < t.length; i++) {
    const k = `${t.family[i]}\u0000${t.model[i]}`;
    const m = models.get(k) ?? {
      model: t.model[i],
      family: t.family[i],
      params: t.params[i],
      rows: 0,
      maxTokens: 0,
    };
    m.rows++;
    m.maxTokens = Math.max(m.maxTokens, t.tokens[i]);
    models.set(k, m);
  }
  return {
    origin: scrub(t.origin),
    rows: t.length,
    families: [...new Set(t.family)].sort(),
    models: [...models.values()].sort((a, b) => a.params - b.params),
    warnings: (t.warnings ?? []).map((w) => inPageTerms(scrub(w))),
  };
}

/** The fit a request asks for, on the rows it selects (bootstrap `defaultResamples` unless given). */
async function fitFromBody(c: Ctx, body: Record<string, unknown>, defaultResamples = 0) {
  const table = c.session.table(body.dataset);
  const req = fitRequest(body);
  if (req.fit.objective !== undefined) getObjective(req.fit.objective);
  const rows = selectRows(table, req.selection);
  if (rows.length === 0)
    throw new InputError("no rows left after the family, token cut and fraction", {
      field: "minTokens",
      hint: "lower the cut or raise the fraction",
    });
  const data = toFitData(table, rows);
  const resamples = body.bootstrap === undefined ? defaultResamples : req.uncertainty.resamples;
  const u = await fitWithUncertainty(data, req.fit, { ...req.uncertainty, resamples });
  const s = req.selection;
  const filters = [
    ...(s.family ? [`family = ${s.family}`] : []),
    ...(s.minTokens ? [`tokens ≥ ${s.minTokens}`] : []),
    ...(s.fraction !== undefined && s.fraction < 1 ? [`fraction ${s.fraction}`] : []),
  ];
  const record = {
    source: c.session.scrub(table.origin),
    rows: rows.length,
    runs: new Set(data.run).size,
    filters,
    paramsDefinition:
      "as given in the params column (total parameters unless the source says otherwise)",
  };
  return { table, data, u, record };
}
