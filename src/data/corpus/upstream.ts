import { closest, InputError } from "../../errors.js";
import { CHECKSUMS as epoch } from "./checksums/epoch-chinchilla.js";
import { CHECKSUMS as gadre } from "./checksums/gadre-overtrain.js";
import { CHECKSUMS as colpret } from "./checksums/hitchhiker-colpret.js";
import { CHECKSUMS as misfitting } from "./checksums/misfitting-li2025.js";
import { CHECKSUMS as pythia } from "./checksums/pythia-evals.js";
import { CHECKSUMS as sldbench } from "./checksums/sldbench-github.js";

/** Where GitHub serves a repository's files at a commit; the downloader's default origin. */
export const GITHUB_RAW = "https://raw.githubusercontent.com";

/**
 * The origin repository of one corpus dataset, pinned to the commit named in its SOURCE.md, so a
 * download always yields the bytes the adapters were written and checked against.
 */
export interface Upstream {
  /** Dataset folder name, as in ../shared/data and the adapter registry. */
  readonly name: string;
  /** `owner/name` on GitHub. */
  readonly repo: string;
  /** Full 40-hex commit. */
  readonly commit: string;
  /** Folder of the repository that maps onto the dataset folder ("" for the root). */
  readonly prefix: string;
  /** Local paths whose upstream name differs (the ../shared copy renamed them). */
  readonly renames?: Readonly<Record<string, string>>;
  /** `sha256 size path` lines (see checksums/). */
  readonly checksums: string;
}

/** One file to fetch: local path under the dataset folder, URL, and what it must hash to. */
export interface UpstreamFile {
  readonly dataset: string;
  readonly path: string;
  readonly url: string;
  readonly sha256: string;
  readonly size: number;
}

/** Every downloadable dataset; pins copied from each ../shared/data/NAME/SOURCE.md. */
export const UPSTREAMS: readonly Upstream[] = [
  {
    name: "epoch-chinchilla",
    repo: "epoch-research/analyzing-chinchilla",
    commit: "92258837425e1b5f2851d624287f0120583a3d0e",
    prefix: "data/",
    checksums: epoch,
  },
  {
    name: "gadre-overtrain",
    repo: "mlfoundations/scaling",
    commit: "a003c4913793ac2ae7ef87b28ecb562955d026d5",
    prefix: "",
    checksums: gadre,
  },
  {
    name: "misfitting-li2025",
    repo: "hadasah/scaling_laws",
    commit: "1f3708c0a12df0effb0ee906b1da5f9f0ff4f4f1",
    prefix: "data/",
    checksums: misfitting,
  },
  {
    name: "pythia-evals",
    repo: "EleutherAI/pythia",
    commit: "a19eecb807ec2c79a39ebf18108816e6ffffc1d5",
    prefix: "",
    checksums: pythia,
  },
  {
    name: "sldbench-github",
    repo: "linhaowei1/SLD",
    commit: "61c9d591b6b11364f27362fd817fcd086d0b0cfd",
    prefix: "data/",
    checksums: sldbench,
  },
  // gpt3_metadata.csv is not fetched: the ../shared copy was converted from gpt3_metadata.xlsx.
  {
    name: "hitchhiker-colpret",
    repo: "IBM/ColPret",
    commit: "16f23bbe054277ddc4afd07a972dd7cfbe3f48c3",
    prefix: "",
    renames: { "aggregated_eval/LLMs_0-shot.csv": "aggregated_eval/LLMs - 0-shot.csv" },
    checksums: colpret,
  },
];

/**
 * The upstream of a dataset by name.
 * @throws InputError for an unknown name, suggesting the closest
 */
export function upstream(name: string): Upstream {
  const u = UPSTREAMS.find((x) => x.name === name);
  if (!u) {
    const names = UPSTREAMS.map((x) => x.name);
    // "pythia" is far from "pythia-evals" by edit distance, so also try prefixes.
    const near = closest(name, names) ?? names.find((n) => n.startsWith(name));
    throw new InputError(`unknown dataset "${name}"`, {
      field: "scaleladder corpus download",
      hint: near ? `did you mean "${near}"?` : `expected one of ${names.join(", ")}`,
    });
  }
  return u;
}

/**
 * The files of one dataset with their URLs at the pinned commit, e.g.
 * `https://raw.githubusercontent.com/hadasah/scaling_laws/1f3708c…/data/scaling_results.csv`.
 * @param origin replaces `https://raw.githubusercontent.com` (a mirror, or a loopback server in tests)
 */
export function upstreamFiles(u: Upstream, origin = GITHUB_RAW): UpstreamFile[] {
  return u.checksums
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [sha256, size, ...rest] = l.trim().split(" ");
      const path = rest.join(" ");
      const remote = `${u.prefix}${u.renames?.[path] ?? path}`;
      const encoded = remote.split("/").map(encodeURIComponent).join("/");
      return {
        dataset: u.name,
        path,
        url: `${origin.replace(/\/+$/, "")}/${u.repo}/${u.commit}/${encoded}`,
        sha256,
        size: Number(size),
      };
    });
}
