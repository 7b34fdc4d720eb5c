/**
 * src/oci: the vocabulary of images, pure and I/O free. References, digests,
 * media types, descriptors, manifests, platforms and image configs.
 */
export * from "./digest.js";
export * from "./reference.js";
export * from "./media-types.js";
export * from "./descriptor.js";
export * from "./manifest.js";
export * from "./platform.js";
export * from "./image-config.js";
export * from "./artifact.js";
export * from "./registry-host.js";
