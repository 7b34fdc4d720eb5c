/**
 * reship.yaml: its schema, defaults and loading. Other layers import only
 * from here. Only what they need is re-exported: the bundler keeps every
 * module a re-export names, so re-exporting the parser or the schema here
 * would load yaml and zod on every command's start-up (parse.ts, schema.ts
 * and json-schema.ts are imported directly by their tests and tools).
 */
export { loadConfig } from "./load.js";
export type { LoadConfigOptions, LoadedConfig } from "./load.js";
export { commitTagTemplate, DEFAULT_TAG_TEMPLATES, PLATFORM_PATTERN } from "./defaults.js";
export type { CommitTagSettings } from "./defaults.js";
export type {
  BuilderName,
  CiRules,
  CommitTagConfig,
  ImageConfig,
  Policies,
  ReshipConfig,
  ReshipConfigInput,
  TagRules,
} from "./schema.js";

import type { ImageConfig } from "./schema.js";

/** An image's repositories: its one name, or its several names. */
export function imageNames(image: ImageConfig): readonly string[] {
  return typeof image.name === "string" ? [image.name] : image.name;
}
