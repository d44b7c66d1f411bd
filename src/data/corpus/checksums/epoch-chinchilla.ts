/**
 * sha256, size in bytes and path (relative to the dataset folder) of every upstream file that
 * `corpus download epoch-chinchilla` fetches, one per line, computed from the verified ../shared/data copies:
 * `find … -type f | sort | xargs sha256sum` and `stat -c %s`. Regenerate only when the pinned commit changes.
 */
export const CHECKSUMS = `
193478df4e90f040016431996c45682659306840ecdadf83cfb9cd5ca0aa1b30 23224 svg_extracted_data.csv
`;
