/**
 * sha256, size in bytes and path (relative to the dataset folder) of every upstream file that
 * `corpus download sldbench-github` fetches, one per line, computed from the verified ../shared/data copies:
 * `find … -type f | sort | xargs sha256sum` and `stat -c %s`. Regenerate only when the pinned commit changes.
 */
export const CHECKSUMS = `
b6568b72c0b6e0479ddbebbd3f78fd9b1fc7d12cc465e816876e154d71827428 10665 data_constrained_scaling_law/data.csv
d47100fff607df6b9f0164c6737f60c66064e871e93cb1f9e899f5054bc15037 350817 lr_scaling_law/dense_lr_bs_loss.csv
6571e877469a44cb50b2d05e1fa485587369ee1c47941a4b3b2bfef80496f1b2 97273 vocab_scaling_law/data.csv
`;
