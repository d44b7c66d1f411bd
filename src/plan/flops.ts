import { InputError } from "../errors.js";

/**
 * Training compute of a dense transformer by the standard approximation C = 6·N·D: 2·N·D for the
 * forward pass and 4·N·D for the backward pass (Kaplan et al. 2020, §2.1; Hoffmann et al. 2022, §3).
 * @example trainingFlops(70e9, 1.4e12) // → 5.88e23
 */
export function trainingFlops(params: number, tokens: number): number {
  return 6 * params * tokens;
}

/** The shape of a decoder-only transformer. */
export interface TransformerShape {
  readonly layers: number;
  readonly dModel: number;
  /** Context length n_ctx. */
  readonly context: number;
  /** Vocabulary size; defaults to 0 (embedding terms left out, as Kaplan's N does). */
  readonly vocab?: number;
  /** Feed-forward width; defaults to 4·d_model. */
  readonly dFF?: number;
  /** Attention width (heads × head size); defaults to d_model. */
  readonly dAttn?: number;
  /** Attention heads (only the softmax term uses it); defaults to d_model/128, at least 1. */
  readonly heads?: number;
}

/** Forward FLOPs per token, term by term, and the training total (3 × forward). */
export interface FlopsBreakdown {
  readonly terms: Readonly<Record<string, number>>;
  readonly forward: number;
  /** Forward + backward (backward = 2 × forward). */
  readonly training: number;
}

/** Per-token FLOP counts of one shape under both published accountings, against 6N. */
export interface DetailedFlops {
  /** Non-embedding parameters N = 2·d_model·n_layer·(2·d_attn + d_ff) (Kaplan et al. 2020, Table 1). */
  readonly nonEmbeddingParams: number;
  /** Embedding parameters (n_vocab + n_ctx)·d_model. */
  readonly embeddingParams: number;
  /** Kaplan et al. 2020, Table 1: 2N + 2·n_layer·n_ctx·d_attn plus embed (4·d) and de-embed (2·d·n_vocab). */
  readonly kaplan: FlopsBreakdown;
  /**
   * Hoffmann et al. 2022, Appendix F: embeddings and logits as matmuls (2·d·n_vocab each), Q/K/V,
   * logits Q·Kᵀ and the weighted sum of values (2·n_ctx·d_attn each), softmax (3·heads·n_ctx),
   * output projection and the MLP.
   */
  readonly chinchilla: FlopsBreakdown;
  /** 6·N per token with N the non-embedding parameters. */
  readonly sixN: number;
  /** 6·N per token with N all parameters (non-embedding + embedding). */
  readonly sixNTotal: number;
  /** chinchilla.training / sixN − 1: how far 6N is off for this shape (positive: 6N undercounts). */
  readonly sixNError: number;
}

/**
 * Detailed training FLOPs per token of a transformer shape, by Kaplan et al. 2020 (Table 1, with
 * the attention and embedding terms) and Hoffmann et al. 2022 (Appendix F), beside 6N.
 * Causal masking is not discounted in either accounting (both count the full n_ctx).
 * @throws InputError for a non-positive or non-integer dimension
 * @example detailedFlops({ layers: 96, dModel: 12288, context: 2048 }).sixNError // ≈ 0.017
 */
export function detailedFlops(shape: TransformerShape): DetailedFlops {
  const { layers: L, dModel: d, context: ctx } = shape;
  const vocab = shape.vocab ?? 0;
  const dff = shape.dFF ?? 4 * d;
  const dAttn = shape.dAttn ?? d;
  const heads = shape.heads ?? Math.max(1, Math.round(d / 128));
  for (const [option, v] of [
    ["layers", L],
    ["dModel", d],
    ["context", ctx],
    ["dFF", dff],
    ["dAttn", dAttn],
    ["heads", heads],
  ] as const) {
    if (!(v > 0) || !Number.isInteger(v))
      throw new InputError(`${option} must be a positive whole number, got ${v}`, {
        field: option,
      });
  }
  if (!(vocab >= 0) || !Number.isInteger(vocab))
    throw new InputError(`vocab must be a whole number, got ${vocab}`, { field: "vocab" });

  const N = 2 * d * L * (2 * dAttn + dff);
  const kTerms = {
    embed: 4 * d,
    qkv: 2 * L * d * 3 * dAttn,
    attentionMask: 2 * L * ctx * dAttn,
    attentionProject: 2 * L * dAttn * d,
    feedForward: 2 * L * 2 * d * dff,
    deEmbed: 2 * d * vocab,
  };
  const cTerms = {
    embeddings: 2 * vocab * d,
    qkv: L * 2 * 3 * d * dAttn,
    logits: L * 2 * ctx * dAttn,
    softmax: L * 3 * heads * ctx,
    valueReduction: L * 2 * ctx * dAttn,
    outputProjection: L * 2 * dAttn * d,
    feedForward: L * 2 * 2 * d * dff,
    finalLogits: 2 * d * vocab,
  };
  const breakdown = (terms: Record<string, number>): FlopsBreakdown => {
    const forward = Object.values(terms).reduce((a, b) => a + b, 0);
    return { terms, forward, training: 3 * forward };
  };
  const chinchilla = breakdown(cTerms);
  const embeddingParams = (vocab + ctx) * d;
  return {
    nonEmbeddingParams: N,
    embeddingParams,
    kaplan: breakdown(kTerms),
    chinchilla,
    sixN: 6 * N,
    sixNTotal: 6 * (N + embeddingParams),
    sixNError: chinchilla.training / (6 * N) - 1,
  };
}
