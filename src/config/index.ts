/**
 * reship.yaml: its schema, defaults and loading. Other layers import only
 * from here.
 */
export { loadConfig, parseConfig } from "./load.js";
export type { LoadConfigOptions, LoadedConfig } from "./load.js";
export { configJsonSchema, configJsonSchemaText } from "./json-schema.js";
export { configSchema, DEFAULT_TAG_TEMPLATES, VERSION_PLACEHOLDERS } from "./schema.js";
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
