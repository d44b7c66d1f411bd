/**
 * sha256, size in bytes and path (relative to the dataset folder) of every upstream file that
 * `corpus download misfitting-li2025` fetches, one per line, computed from the verified ../shared/data copies:
 * `find … -type f | sort | xargs sha256sum` and `stat -c %s`. Regenerate only when the pinned commit changes.
 */
export const CHECKSUMS = `
193b4b7665365112605417e2ef06d55efe599cfa08412354e3ae42c3af7a9f58 1133268 scaling_results.csv
`;
