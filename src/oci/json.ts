/**
 * A shape check shared by the parsers of this layer (descriptors, manifests,
 * image configs, the referrers index). Not re-exported by index.ts: it is
 * this layer's own helper, not part of the vocabulary of images.
 */

/** True for a JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
