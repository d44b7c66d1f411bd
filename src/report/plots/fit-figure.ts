import type { FitWithUncertainty } from "../../estimate/uncertainty.js";
import type { PlotTarget } from "./fit.js";
import { type PlotKind, plotSpec, type Spec } from "./index.js";
import type { RunPoints } from "./points.js";

/** The figure of a fit, for `plot` and the `--plot` flag of fit and predict. */
export function fitFigure(
  kind: PlotKind,
  data: RunPoints,
  u: FitWithUncertainty,
  target?: PlotTarget,
  source?: string,
  metric?: string,
): Spec {
  const replicates = u.replicates.flatMap((r) => (r.theta ? [r.theta] : []));
  const level = u.bootstrap?.level ?? 0.95;
  if (kind === "residuals") return plotSpec("residuals", { data, fit: u.fit, source });
  if (kind === "compute")
    return plotSpec("compute", { data, fit: u.fit, replicates, level, target, source, metric });
  if (kind === "bootstrap")
    return plotSpec("bootstrap", { fit: u.fit, replicates, intervals: u.intervals, level });
  return plotSpec("fit", { data, fit: u.fit, replicates, level, target, source, metric });
}
