/**
 * The reship.yaml schema: every key, its type and its default, in one zod
 * schema. Unknown keys are rejected everywhere (a typo must not silently do
 * nothing). The JSON Schema shipped for editors (schema/reship.schema.json) is
 * generated from this file; `npx tsx src/config/write-schema.ts` rewrites it
 * and a unit test checks it is current.
 *
 * Defaults: tags `{{version}}`, `{{major}}.{{minor}}`, `{{major}}`, `latest`
 * with no prefix or suffix; commit tag `sha-{{sha7}}` (what
 * docker/metadata-action's `type=sha` makes); builder `auto`; immutable
 * versions; floating tags on; rebuild when a retag fails; provenance checked
 * but not strict; CI: default branch `main`, version tags `v*`, production
 * builds only on the default branch.
 */
import { z } from "zod";
import { DEFAULT_TAG_TEMPLATES, PLATFORM_PATTERN, VERSION_PLACEHOLDERS } from "./defaults.js";

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
}

// A repository name with an optional registry host, no tag or digest (Docker's grammar, loosely).
const IMAGE_NAME =
  /^([a-zA-Z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-]+[a-z0-9]+|__[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+|__[a-z0-9]+)*)*$/;

const imageName = z.string({ error: "expected an image name like ghcr.io/acme/app" }).regex(IMAGE_NAME, {
  error: "expected an image name like ghcr.io/acme/app (lowercase repository, no tag or digest)",
});

const platform = z
  .string()
  .regex(PLATFORM_PATTERN, { error: "expected a platform like linux/amd64 or linux/arm64/v8" });

const versionTemplate = z
  .string({ error: 'expected a tag template like "{{version}}" or "v{{major}}.{{minor}}"' })
  .min(1, { error: "a tag template cannot be empty" })
  .refine((t) => placeholders(t).every((p) => (VERSION_PLACEHOLDERS as readonly string[]).includes(p)), {
    error: `unknown placeholder in tag template: use ${VERSION_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}`,
  });

export const tagRulesSchema = z
  .strictObject({
    templates: z
      .array(versionTemplate, { error: 'expected a list of tag templates like ["{{version}}", "latest"]' })
      .min(1, { error: "list at least one tag template" })
      .default([...DEFAULT_TAG_TEMPLATES])
      .describe(
        "Version tag templates. A template with {{version}} is the version's own tag; the others ({{major}}.{{minor}}, {{major}}, latest) are floating tags that move forward only.",
      ),
    prefix: z.string().default("").describe("Put before every version tag, e.g. v."),
    suffix: z.string().default("").describe("Put after every version tag, e.g. -alpine."),
  })
  .describe("How version tags are made from --version.");

export const imageSchema = z
  .strictObject({
    name: z
      .union([imageName, z.array(imageName).min(1)], {
        error: "expected an image name like ghcr.io/acme/app, or a list of names across registries",
      })
      .describe(
        "The image's repository, or several repositories (e.g. on two registries) that get the same tags.",
      ),
    context: z.string().default(".").describe("Build context directory, relative to reship.yaml."),
    dockerfile: z.string().default("Dockerfile").describe("Dockerfile path, relative to the context."),
    platforms: z
      .array(platform, { error: "expected a list of platforms like linux/amd64" })
      .min(1, { error: "expected a list of platforms like linux/amd64" })
      .optional()
      .describe(
        "Target platforms; default: the builder's own platform. Several make a multi-platform index.",
      ),
    target: z.string().optional().describe("Build stage to build."),
    buildArgs: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
        error: "expected a map of build arguments like { NODE_VERSION: 20 }",
      })
      .default({})
      .describe("Build arguments."),
    tags: tagRulesSchema
      .optional()
      .describe("Version tag rules for this image only (replacing the top-level tags)."),
  })
  .describe("One image reship releases.");

const commitTemplate = z
  .string()
  .min(1)
  .refine((t) => placeholders(t).length > 0 && placeholders(t).every((p) => /^sha([0-9]{1,2})?$/.test(p)), {
    error: "expected a commit tag template using {{sha}} or {{sha7}} (any length 4-40: {{sha12}})",
  });

export const commitTagSchema = z
  .strictObject({
    format: commitTemplate
      .optional()
      .describe(
        "Full template, e.g. sha-{{sha7}} or {{sha}}. Cannot be combined with prefix, length or full.",
      ),
    prefix: z.string().optional().describe("Put before the sha (default sha-)."),
    length: z
      .number()
      .int()
      .min(4, { error: "expected a length between 4 and 40" })
      .max(40, { error: "expected a length between 4 and 40" })
      .optional()
      .describe("Number of hex digits of the sha (default 7)."),
    full: z.boolean().optional().describe("Use the full 40-digit sha."),
  })
  .refine(
    (c) =>
      c.format === undefined || (c.prefix === undefined && c.length === undefined && c.full === undefined),
    {
      error: "format cannot be combined with prefix, length or full",
    },
  )
  .refine((c) => !(c.full === true && c.length !== undefined), { error: "give length or full, not both" })
  .default({})
  .describe("The tag every build is pushed under, from which releases find it. Default sha-{{sha7}}.");

export const policiesSchema = z
  .strictObject({
    immutableVersions: z
      .boolean()
      .default(true)
      .describe("A version tag never moves to another image unless --force."),
    strictProvenance: z
      .boolean()
      .default(false)
      .describe(
        "Fail (instead of building) when the commit image's revision label names another commit or none.",
      ),
    floatingTags: z
      .boolean()
      .default(true)
      .describe("Write floating tags (1.4, 1, latest); false writes only the version's own tags."),
    onRetagFailure: z
      .enum(["rebuild", "fail"], { error: "expected rebuild or fail" })
      .default("rebuild")
      .describe("What to do when a retag fails: rebuild the image, or fail."),
  })
  .default({
    immutableVersions: true,
    strictProvenance: false,
    floatingTags: true,
    onRetagFailure: "rebuild",
  })
  .describe("Release policies.");

export const ciSchema = z
  .strictObject({
    defaultBranch: z.string().min(1).default("main").describe("The branch production images are built from."),
    versionTagPattern: z
      .string()
      .min(1)
      .default("v*")
      .describe("Git tags that cut a release, as a GitHub filter pattern (glob), e.g. v* or v[0-9]*."),
    productionOnMain: z
      .boolean()
      .default(true)
      .describe("Push the production image (commit tag) only from the default branch."),
  })
  .default({ defaultBranch: "main", versionTagPattern: "v*", productionOnMain: true })
  .describe("Rules for the CI planner and workflow generator.");

export const configSchema = z
  .strictObject({
    images: z
      .array(imageSchema, { error: "expected a list of images, each with a name" })
      .min(1, { error: "list at least one image" }),
    tags: tagRulesSchema.default({ templates: [...DEFAULT_TAG_TEMPLATES], prefix: "", suffix: "" }),
    commitTag: commitTagSchema,
    builder: z
      .enum(["auto", "buildx", "docker", "buildah"], { error: "expected auto, buildx, docker or buildah" })
      .default("auto")
      .describe("Builder back end; auto picks buildx, then docker, then buildah."),
    policies: policiesSchema,
    ci: ciSchema,
    insecureRegistries: z
      .array(z.string(), { error: "expected a list of registry hosts like registry.local:5000" })
      .default([])
      .describe("Registries reached over plain HTTP (loopback always may be)."),
  })
  .describe("reship.yaml: the images reship releases and how.");

/** reship.yaml after parsing, with every default filled in. */
export type ReshipConfig = z.output<typeof configSchema>;
/** reship.yaml as written (defaults optional). */
export type ReshipConfigInput = z.input<typeof configSchema>;
export type ImageConfig = z.output<typeof imageSchema>;
export type TagRules = z.output<typeof tagRulesSchema>;
export type CommitTagConfig = z.output<typeof commitTagSchema>;
export type Policies = z.output<typeof policiesSchema>;
export type CiRules = z.output<typeof ciSchema>;
export type BuilderName = ReshipConfig["builder"];
