// scaleladder's local page: plain browser JavaScript, no build step. Every number comes from the
// server's JSON API (src/server/api.ts), which calls the library; this file only shows it.

const $ = (id) => document.getElementById(id);
const FIELDS = ["params", "tokens", "flops", "loss", "model", "family", "step", "seed"];
const FIELD_LABELS = {
  params: "parameters N",
  tokens: "training tokens D",
  flops: "FLOPs C (D = C / 6N)",
  loss: "loss (or metric)",
  model: "model name",
  family: "family",
  step: "step",
  seed: "seed",
};
const TABS = ["data", "fit", "forecast", "plan", "guide"];

/** Everything a permalink restores. */
const state = {
  tab: "data",
  source: null,
  mapping: {},
  where: "",
  metric: "",
  fit: {},
  forecast: {},
  plan: {},
};
let dataset = null;
let restoring = false;
const lastResult = { data: null, fit: null, forecast: null, plan: null };

// ---------- helpers ----------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function fmt(v, digits = 4) {
  if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

function size(v) {
  if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
  const units = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  if (v >= 1e15) return v.toExponential(2);
  for (const [u, s] of units) if (v >= u) return `${Number((v / u).toPrecision(3))}${s}`;
  return fmt(v);
}

function table(head, rows, caption) {
  return el(
    "table",
    {},
    caption ? el("caption", { text: caption }) : null,
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
    el(
      "tbody",
      {},
      ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", { text: String(c) })))),
    ),
  );
}

function setStatus(text) {
  $("status").textContent = text;
}

/** Shows an API error in place: the one-line message (file:line: reason; hint: …) and any further problems. */
function showError(box, err) {
  const lines = [err.message, ...(err.problems ?? [])];
  $(box).replaceChildren(...lines.map((l) => el("p", { text: l })));
}

function clearError(box) {
  $(box).replaceChildren();
}

async function api(path, body) {
  const res = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const type = res.headers.get("Content-Type") ?? "";
  if (!res.ok) {
    const j = type.includes("json") ? await res.json() : { error: await res.text() };
    const e = new Error(j.error ?? `HTTP ${res.status}`);
    e.problems = j.problems;
    e.status = res.status;
    throw e;
  }
  return type.includes("json") ? res.json() : res.blob();
}

function download(name, blob) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---------- figures ----------

/** The data tables inside a Vega-Lite spec: the numbers behind the figure, for its text alternative. */
function specData(spec) {
  const out = [];
  const walk = (v, name) => {
    if (Array.isArray(v)) for (const x of v) walk(x, name);
    else if (v && typeof v === "object") {
      if (Array.isArray(v.values) && v.values.length && typeof v.values[0] === "object")
        out.push({ name: v.name ?? name, rows: v.values });
      for (const [k, x] of Object.entries(v))
        if (k !== "values") walk(x, k === "datasets" ? "" : name);
    }
  };
  walk(spec, "data");
  for (const [name, rows] of Object.entries(spec.datasets ?? {})) out.push({ name, rows });
  return out;
}

function numbersBehind(spec) {
  const d = el("details", {}, el("summary", { text: "Numbers behind this figure" }));
  for (const t of specData(spec)) {
    const cols = [...new Set(t.rows.slice(0, 50).flatMap((r) => Object.keys(r)))];
    const rows = t.rows
      .slice(0, 200)
      .map((r) => cols.map((c) => (typeof r[c] === "number" ? fmt(r[c], 5) : (r[c] ?? ""))));
    const more = t.rows.length > 200 ? ` (first 200 of ${t.rows.length} rows)` : "";
    d.append(el("div", { class: "table-scroll" }, table(cols, rows, `${t.name}${more}`)));
  }
  return d;
}

async function figure(container, name, spec) {
  const title = typeof spec.title === "string" ? spec.title : (spec.title?.text ?? name);
  const div = el("div", {
    id: `fig-${name}`,
    role: "img",
    "aria-label": `${title} (figure; its numbers are in the table below)`,
  });
  const svgBtn = el("button", { type: "button", class: "secondary small", text: "SVG" });
  const pngBtn = el("button", { type: "button", class: "secondary small", text: "PNG" });
  const fig = el(
    "figure",
    {},
    div,
    el("figcaption", {}, `${name}: download as`, svgBtn, pngBtn),
    numbersBehind(spec),
  );
  container.append(fig);
  const { view } = await window.vegaEmbed(div, spec, {
    actions: false,
    // SVG keeps text selectable; beyond a few thousand marks canvas draws far faster.
    renderer: specData(spec).reduce((n, t) => n + t.rows.length, 0) > 5000 ? "canvas" : "svg",
    ast: true,
    expr: window.vega.expressionInterpreter,
  });
  svgBtn.addEventListener("click", async () => {
    download(`${name}.svg`, new Blob([await view.toSVG()], { type: "image/svg+xml" }));
  });
  pngBtn.addEventListener("click", async () => {
    const url = await view.toImageURL("png", 2);
    download(`${name}.png`, await (await fetch(url)).blob());
  });
}

// ---------- tabs and permalinks ----------

function showTab(name, focus = false) {
  state.tab = name;
  if (name === "guide" && !guideLoaded) runGuide();
  for (const t of TABS) {
    $(`tab-${t}`).setAttribute("aria-selected", String(t === name));
    $(`tab-${t}`).tabIndex = t === name ? 0 : -1;
    $(`view-${t}`).hidden = t !== name;
  }
  if (focus) $(`tab-${name}`).focus();
  saveHash();
}

function saveHash() {
  const h = `#${encodeURIComponent(JSON.stringify(state))}`;
  history.replaceState(null, "", h);
  $("permalink").href = h;
}

function readHash() {
  if (location.hash.length < 2) return;
  try {
    Object.assign(state, JSON.parse(decodeURIComponent(location.hash.slice(1))));
  } catch {
    setStatus("the link's state could not be read; starting afresh");
  }
}

function formValues(form) {
  const out = {};
  for (const e of form.elements) if (e.name && e.value !== "") out[e.name] = e.value;
  return out;
}

function fillForm(form, values) {
  for (const e of form.elements)
    if (e.name && values[e.name] !== undefined) e.value = values[e.name];
}

// ---------- data ----------

function upload(file) {
  clearError("data-errors");
  const bar = $("upload-progress");
  bar.hidden = false;
  bar.value = 0;
  setStatus(`uploading ${file.name}…`);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/upload?name=${encodeURIComponent(file.name)}`);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = e.loaded / e.total;
    });
    xhr.addEventListener("load", () => {
      bar.value = 1;
      let j;
      try {
        j = JSON.parse(xhr.responseText);
      } catch {
        j = { error: xhr.responseText || `HTTP ${xhr.status}` };
      }
      if (xhr.status >= 400) {
        const e = new Error(j.error);
        e.problems = j.problems;
        reject(e);
      } else resolve(j);
    });
    xhr.addEventListener("error", () =>
      reject(
        new Error(
          "upload failed: the server closed the connection (is the file over --max-upload?)",
        ),
      ),
    );
    xhr.send(file);
  });
}

function showColumns(info) {
  $("mapping-box").hidden = false;
  $("file-summary").textContent =
    `${info.name}: ${info.rows === null ? `${size(info.bytes)}B` : `${info.rows} rows`}, ${info.columns.length} columns (${info.format}). Pick the column for each field; suggestions are filled in.`;
  const fields = FIELDS.map((f) => {
    const sel = el(
      "select",
      { id: `map-${f}`, name: f },
      el("option", { value: "", text: "(none)" }),
      ...info.columns.map((c) => el("option", { value: c, text: c })),
    );
    sel.value = state.mapping[f] ?? info.suggested[f] ?? "";
    sel.addEventListener("change", () => {
      state.mapping[f] = sel.value;
      saveHash();
    });
    return el("label", { for: `map-${f}` }, FIELD_LABELS[f], sel);
  });
  $("mapping-fields").replaceChildren(...fields);
  const cols = info.columns;
  $("preview").replaceChildren(
    table(
      cols,
      info.preview.map((r) => cols.map((c) => r[c] ?? "")),
    ),
  );
  $("where").value = state.where ?? "";
  $("metric").value = state.metric ?? "";
}

async function onFile(file) {
  try {
    const info = await upload(file);
    state.source = { upload: info.upload, name: info.name };
    state.mapping = {};
    showColumns(info);
    setStatus(`${info.name} uploaded (${size(info.bytes)}B)`);
    saveHash();
    $(`map-${FIELDS[0]}`).focus();
  } catch (e) {
    showError("data-errors", e);
    setStatus("upload failed");
  }
}

async function loadData() {
  clearError("data-errors");
  const mapping = {};
  for (const f of FIELDS) {
    const v = $(`map-${f}`)?.value;
    if (v) mapping[f] = v;
  }
  state.mapping = mapping;
  state.where = $("where").value;
  state.metric = $("metric").value;
  saveHash();
  setStatus("checking the runs…");
  const body = state.source?.store
    ? { store: true, where: state.where || undefined, metric: state.metric || undefined }
    : {
        upload: state.source?.upload,
        mapping,
        where: state.where || undefined,
        metric: state.metric || undefined,
      };
  try {
    dataset = await api("/api/load", body);
    lastResult.data = dataset;
    showDataset();
    setStatus(`${dataset.rows} rows loaded`);
    if (!restoring) showTab("fit");
    await runFit();
  } catch (e) {
    dataset = null;
    $("data-summary").replaceChildren();
    showError("data-errors", e);
    setStatus("the runs have problems: see the list");
  }
}

function showDataset() {
  const d = dataset;
  const rows = d.models.map((m) => [m.family, m.model, size(m.params), m.rows, size(m.maxTokens)]);
  $("data-summary").replaceChildren(
    el("p", {
      class: "ok",
      text: `${d.rows} rows of ${d.models.length} models from ${d.origin}. Next: the Fit step.`,
    }),
    ...d.warnings.map((w) => el("p", { class: "warn", text: w })),
    el("div", { class: "table-scroll" }, table(["family", "model", "N", "rows", "last D"], rows)),
  );
  $("family").replaceChildren(
    el("option", { value: "", text: "all rows" }),
    ...d.families.map((f) => el("option", { value: f, text: f })),
  );
  $("held-out").replaceChildren(
    el("option", { value: "", text: "(none: use N and D)" }),
    ...d.models.map((m) =>
      el("option", { value: m.model, text: `${m.model} (${size(m.params)})` }),
    ),
  );
  fillForm($("fit-form"), state.fit);
  fillForm($("forecast-form"), state.forecast);
}

// ---------- fit ----------

function fitBody() {
  state.fit = formValues($("fit-form"));
  saveHash();
  return { dataset: dataset?.dataset, ...state.fit };
}

let fitSeq = 0;
async function runFit() {
  if (!dataset) return showError("fit-errors", new Error("load runs first (step 1)"));
  const seq = ++fitSeq;
  clearError("fit-errors");
  setStatus("fitting…");
  const t0 = performance.now();
  try {
    const r = await api("/api/fit", fitBody());
    if (seq !== fitSeq) return;
    lastResult.fit = r;
    await showFit(r);
    setStatus(`fit and figures: ${Math.round(performance.now() - t0)} ms`);
    document.body.dataset.fitted = String(seq);
  } catch (e) {
    if (seq === fitSeq) {
      showError("fit-errors", e);
      setStatus("the fit failed: see the message");
    }
  }
}

async function showFit(r) {
  const f = r.fit;
  const ok = f.status === "converged";
  const rows = Object.entries(f.params).map(([k, v]) => {
    const iv = f.intervals?.[k];
    const fixed = f.settings?.fixed && k in f.settings.fixed ? "fixed" : "fitted";
    return [k, fmt(v, 6), iv ? `[${fmt(iv[0])}, ${fmt(iv[1])}]` : "–", fixed];
  });
  const q = r.quality;
  const box = el(
    "div",
    {},
    el(
      "p",
      { class: "big" },
      "Status: ",
      el("span", { class: ok ? "ok" : "bad", id: "fit-status", text: f.status }),
      ` · law ${f.law} · objective ${f.objective.name} = ${fmt(f.objective.value, 6)} · ${f.n.toLocaleString("en-US")} points`,
    ),
    table(["parameter", "value", "interval", ""], rows, `Fitted parameters: ${f.formula}`),
    f.intervals && Object.keys(f.intervals).length
      ? null
      : el("p", {
          class: "hint",
          text: "No intervals: set bootstrap resamples (e.g. 200) to resample whole runs.",
        }),
    ...(f.warnings ?? []).map((w) => el("p", { class: "warn", text: `Identifiability: ${w}` })),
    el("p", {
      text: q
        ? `Fit quality: mean |L − L̂|/L ${fmt(100 * q.meanAbsRelResidual, 3)}%, max ${fmt(100 * q.maxAbsRelResidual, 3)}%, RMSE of log loss ${fmt(q.rmseLog, 3)}`
        : "",
    }),
  );
  const figs = el("div", { class: "figures" });
  $("fit-result").replaceChildren(box, figs);
  await Promise.all([
    figure(figs, "fit", r.figures.fit),
    figure(figs, "residuals", r.figures.residuals),
  ]);
}

// ---------- forecast ----------

async function runForecast() {
  if (!dataset) return showError("forecast-errors", new Error("load runs first (step 1)"));
  clearError("forecast-errors");
  state.forecast = formValues($("forecast-form"));
  saveHash();
  setStatus("forecasting…");
  const body = { ...fitBody(), ...state.forecast };
  if (body.heldOut) {
    body.params = undefined;
    body.tokens = undefined;
  }
  try {
    const r = await api("/api/forecast", body);
    lastResult.forecast = r;
    const figs = el("div", { class: "figures" });
    let text;
    if (r.heldOut) {
      const h = r.heldOut;
      const b = Object.entries(h.baselines ?? {}).map(([k, v]) => [
        k,
        typeof v === "number" ? `${fmt(100 * v, 3)}%` : JSON.stringify(v),
      ]);
      text = el(
        "div",
        {},
        el("p", {
          class: "big",
          id: "forecast-value",
          text: `${h.target}: predicted ${fmt(h.predicted, 5)}, actual ${fmt(h.actual, 5)}; ARE ${fmt(100 * h.are, 3)}% (status ${h.status})`,
        }),
        h.interval
          ? el("p", { text: `interval [${fmt(h.interval[0])}, ${fmt(h.interval[1])}]` })
          : null,
        b.length ? table(["baseline", "ARE"], b, "No-fit baselines") : null,
      );
    } else {
      const e = r.estimate;
      const x = r.extrapolation;
      text = el(
        "div",
        {},
        el("p", {
          class: "big",
          id: "forecast-value",
          text: `Predicted loss at N = ${size(r.target.params)}, D = ${size(r.target.tokens)}: ${fmt(e.value, 5)}${e.interval ? ` (${Math.round(100 * (r.level ?? 0.95))}% interval ${fmt(e.interval[0], 5)} – ${fmt(e.interval[1], 5)})` : " (no interval: set bootstrap resamples in the Fit step)"}`,
        }),
        el("p", {
          text: `Extrapolation beyond the ladder: ${fmt(x.N, 3)}× in N, ${fmt(x.D, 3)}× in D, ${fmt(x.C, 3)}× in C (${size(r.target.flops)} FLOPs).`,
        }),
      );
    }
    $("forecast-result").replaceChildren(text, figs);
    await figure(figs, "forecast", r.figures.forecast);
    setStatus("forecast done");
  } catch (e) {
    showError("forecast-errors", e);
    setStatus("the forecast failed: see the message");
  }
}

// ---------- plan ----------

async function runPlan() {
  clearError("plan-errors");
  state.plan = formValues($("plan-form"));
  saveHash();
  const body = { ...(state.plan.preset ? {} : fitBody()), ...state.plan };
  if (body.gpus && body.days) body.budget = undefined;
  if (!body.preset && !dataset)
    return showError("plan-errors", new Error("load runs first (step 1), or plan from a preset"));
  setStatus("planning…");
  try {
    const r = await api("/api/plan", body);
    lastResult.plan = r;
    const a = r.allocation;
    const iv = (k, f) => (a.intervals ? ` [${f(a.intervals[k][0])}, ${f(a.intervals[k][1])}]` : "");
    const u = r.units;
    const cost = [
      u.gpuHours != null ? `${fmt(u.gpuHours, 3)} GPU-hours` : null,
      u.days != null ? `${fmt(u.days, 3)} days` : null,
      u.cost != null ? `cost ${fmt(u.cost, 3)}` : null,
    ].filter(Boolean);
    const cmp = r.comparison.map((row) => [
      `${row.factor}×`,
      fmt(row.flops, 3),
      size(row.kaplan.params),
      size(row.kaplan.tokens),
      fmt(row.kaplan.loss, 5),
      size(row.chinchilla.params),
      size(row.chinchilla.tokens),
      fmt(row.chinchilla.loss, 5),
    ]);
    const figs = el("div", { class: "figures" });
    $("plan-result").replaceChildren(
      el("p", {
        class: "big",
        id: "plan-value",
        text: `C = ${fmt(r.budget, 3)} FLOPs → N = ${size(a.params)}${iv("params", size)}, D = ${size(a.tokens)}${iv("tokens", size)} (${fmt(a.tokensPerParam, 3)} tokens per parameter), loss ${fmt(a.loss, 5)}${iv("loss", (v) => fmt(v, 5))}`,
      }),
      el("p", { text: `Law: ${r.model.name} (${r.model.reference}). ${cost.join(", ")}` }),
      table(
        [
          "budget",
          "C",
          "Kaplan N",
          "Kaplan D",
          "Kaplan loss",
          "Chinchilla N",
          "Chinchilla D",
          "Chinchilla loss",
        ],
        cmp,
        "Kaplan's rule against the compute-optimal (Chinchilla) allocation",
      ),
      ...(r.isoflopNote ? [el("p", { class: "hint", text: r.isoflopNote })] : []),
      figs,
    );
    for (const [name, spec] of Object.entries(r.figures)) await figure(figs, name, spec);
    setStatus("plan done");
  } catch (e) {
    showError("plan-errors", e);
    setStatus("the plan failed: see the message");
  }
}

// ---------- guide ----------

let guideLoaded = false;
async function runGuide() {
  clearError("guide-errors");
  const q = new URLSearchParams({
    family: $("guide-family").value,
    protocol: $("guide-protocol").value,
  });
  try {
    const r = await api(`/api/guide?${q}`);
    lastResult.guide = r;
    if (!r.available) {
      $("guide-note").textContent =
        "No analysis folder: start the server with --analysis DIR, the folder written by scaleladder analyze --out DIR, to see the Hitchhiker's Guide heatmaps (ARE by number of training models and fraction of training) and the cheapest ladders reaching 15/10/5% ARE.";
      return;
    }
    $("guide-note").textContent = "From the analysis folder given with --analysis.";
    $("guide-form").hidden = false;
    if (!guideLoaded) {
      guideLoaded = true;
      $("guide-family").append(...r.families.map((f) => el("option", { value: f, text: f })));
      $("guide-protocol").replaceChildren(
        ...r.protocols.map((p) => el("option", { value: p, text: p })),
      );
    }
    const rows = r.cheapest
      .filter((c) => c.protocol === $("guide-protocol").value)
      .map((c) => [
        c.family,
        `${fmt(100 * c.threshold, 3)}%`,
        c.trainModels,
        c.fraction,
        fmt(c.flops, 3),
        `${fmt(100 * c.are, 3)}%`,
        c.largest ?? "–",
      ]);
    const figs = el("div", { class: "figures" });
    $("guide-result").replaceChildren(
      ...(rows.length
        ? [
            table(
              [
                "family",
                "ARE under",
                "#train models",
                "fraction p",
                "training FLOPs",
                "ARE",
                "largest model",
              ],
              rows,
              "The cheapest ladder reaching each ARE",
            ),
          ]
        : []),
      figs,
    );
    await figure(figs, "heatmap", r.figure);
  } catch (e) {
    showError("guide-errors", e);
  }
}

const pct = (v) => `${fmt(100 * v, 3)}%`;
const areText = (e) =>
  e ? `${pct(e.median)} (80% band ${pct(e.band[0])} – ${pct(e.band[1])})` : "–";

async function runAdvise() {
  clearError("advise-errors");
  const v = formValues($("advise-form"));
  setStatus("advising…");
  try {
    const r = await api("/api/advise", {
      ...v,
      dataset: dataset?.dataset,
      family: state.fit.family,
      minTokens: state.fit.minTokens,
    });
    lastResult.guide = r;
    const parts = [];
    if (r.runs) {
      const j = r.runs;
      parts.push(
        el("p", {
          class: "big",
          id: "advise-value",
          text: `Your runs (${j.family}): expected ARE of the forecast ${areText(j.current.expectedAre)}`,
        }),
        ...j.current.checks.map((c) => el("p", { class: "warn", text: c.message })),
        table(
          ["to reach", "add a run of N", "D", "FLOPs", "expected ARE"],
          j.additions.map((a) =>
            a.already
              ? [pct(a.threshold), "already expected", "", "", areText(a.expectedAre)]
              : a.run
                ? [
                    pct(a.threshold),
                    size(a.run.params),
                    size(a.run.tokens),
                    fmt(a.run.flops, 3),
                    areText(a.expectedAre),
                  ]
                : [pct(a.threshold), "no single run below the target does", "", "", "–"],
          ),
          "The cheapest single run to add",
        ),
      );
    } else
      parts.push(el("p", { class: "hint", text: "Load runs in step 1 to judge your own ladder." }));
    const p = r.plan;
    const pick = [
      ["recommended within the budget", p.recommended],
      ["cheapest expected ≤ 10%", p.cheapestFor["0.10"]],
      ["cheapest expected ≤ 5%", p.cheapestFor["0.05"]],
    ].filter(([, i]) => i !== null);
    parts.push(
      table(
        ["ladder", "models (N)", "cost FLOPs", "share of target", "expected ARE"],
        pick.map(([name, i]) => {
          const l = p.ladders[i];
          return [
            name,
            l.runs.map((x) => size(x.params)).join(", "),
            fmt(l.cost.flops, 3),
            pct(l.cost.fractionOfTarget),
            areText(l.expectedAre),
          ];
        }),
        `Ladders for N = ${size(p.target.params)}, D = ${size(p.target.tokens)} (${p.ladders.length} on the cost/error frontier)`,
      ),
    );
    $("advise-result").replaceChildren(...parts);
    setStatus("advice ready");
  } catch (e) {
    showError("advise-errors", e);
    setStatus("advice failed: see the message");
  }
}

// ---------- exports ----------

async function exportReport() {
  if (!dataset) return setStatus("load runs first: the report is of a fit");
  setStatus("writing the report (100 bootstrap resamples unless set)…");
  const f = state.forecast;
  const body = {
    ...fitBody(),
    params: f.heldOut ? undefined : f.params,
    tokens: f.heldOut ? undefined : f.params && f.tokens,
    budget: state.plan.budget,
  };
  if (body.tokens) body.tokens = f.tokens;
  try {
    download("scaleladder-report.html", await api("/api/report", body));
    setStatus("report downloaded");
  } catch (e) {
    showError(`${state.tab === "data" ? "data" : state.tab}-errors`, e);
  }
}

function exportJson() {
  const r = lastResult[state.tab];
  if (!r) return setStatus("nothing to export in this step yet");
  download(
    `scaleladder-${state.tab}.json`,
    new Blob([JSON.stringify(r, null, 2)], { type: "application/json" }),
  );
}

// ---------- start ----------

async function start() {
  readHash();
  for (const t of TABS) $(`tab-${t}`).addEventListener("click", () => showTab(t));
  $("tabs").addEventListener("keydown", (e) => {
    const i = TABS.indexOf(state.tab);
    if (e.key === "ArrowRight") showTab(TABS[(i + 1) % TABS.length], true);
    if (e.key === "ArrowLeft") showTab(TABS[(i + TABS.length - 1) % TABS.length], true);
  });
  $("file").addEventListener("change", () => $("file").files[0] && onFile($("file").files[0]));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files[0]) onFile(e.dataTransfer.files[0]);
  });
  $("mapping").addEventListener("submit", (e) => {
    e.preventDefault();
    loadData();
  });
  $("fit-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runFit();
  });
  $("fit-form").addEventListener("change", () => runFit());
  $("forecast-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runForecast();
  });
  $("plan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runPlan();
  });
  $("guide-form").addEventListener("change", () => runGuide());
  $("advise-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runAdvise();
  });
  $("export-report").addEventListener("click", exportReport);
  $("export-json").addEventListener("click", exportJson);
  $("use-store").addEventListener("click", () => {
    state.source = { store: true, family: $("store-family").value };
    state.where = $("store-family").value
      ? `family = '${$("store-family").value.replace(/'/g, "''")}'`
      : "";
    $("mapping-box").hidden = false;
    $("mapping-fields").replaceChildren();
    $("file-summary").textContent = "Runs from the store (already checked on import).";
    $("where").value = state.where;
    loadData();
  });

  try {
    const info = await api("/api/info");
    $("law").replaceChildren(
      ...info.laws.map((l) => el("option", { value: l.name, text: l.name, title: l.formula })),
    );
    $("objective").replaceChildren(
      ...info.objectives.map((o) => el("option", { value: o, text: o })),
    );
    $("accelerator").replaceChildren(
      ...info.accelerators.map((a) =>
        el("option", { value: a.name, text: `${a.name} (${fmt(a.peakFlops / 1e12, 3)} TFLOP/s)` }),
      ),
    );
    $("accelerator").value = "h100";
    $("plan-source").append(
      ...info.presets.map((p) => el("option", { value: p, text: `preset ${p}` })),
    );
    const store = await api("/api/store");
    if (store.families.length) {
      $("store-family").replaceChildren(
        el("option", { value: "", text: "every family" }),
        ...store.families.map((f) =>
          el("option", { value: f.family, text: `${f.family} (${f.models.length} models)` }),
        ),
      );
    } else {
      $("use-store").disabled = true;
      $("store-note").textContent = store.db
        ? `${store.db} holds no runs yet (scaleladder import FILE --db ${store.db})`
        : "no store given (--db FILE)";
    }
  } catch (e) {
    showError("data-errors", e);
  }
  fillForm($("fit-form"), state.fit);
  fillForm($("forecast-form"), state.forecast);
  fillForm($("plan-form"), state.plan);
  showTab(state.tab);
  if (state.source) await restore();
  document.body.dataset.ready = "true";
}

/** A permalink's data: load it again (an upload lasts as long as the server that received it). */
async function restore() {
  if (state.source.upload) {
    $("mapping-box").hidden = false;
    $("file-summary").textContent = `${state.source.name} (from the link)`;
    $("mapping-fields").replaceChildren(
      ...FIELDS.map((f) => {
        const sel = el(
          "select",
          { id: `map-${f}`, name: f },
          el("option", { value: "", text: "(none)" }),
        );
        if (state.mapping[f])
          sel.append(el("option", { value: state.mapping[f], text: state.mapping[f] }));
        sel.value = state.mapping[f] ?? "";
        return el("label", { for: `map-${f}` }, FIELD_LABELS[f], sel);
      }),
    );
    $("where").value = state.where ?? "";
    $("metric").value = state.metric ?? "";
  }
  const tab = state.tab;
  restoring = true;
  await loadData();
  restoring = false;
  if (dataset && tab === "forecast") await runForecast();
  if (tab === "plan") await runPlan();
  showTab(tab);
}

start();
