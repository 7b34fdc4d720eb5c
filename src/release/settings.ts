/**
 * The one resolver that merges command-line flags over reship.yaml for
 * `reship release` and `reship build`: which images, where each is built
 * from, its tag rules, the commit tag template, the builder and the policies.
 * Flags win over the file; the file wins over the defaults. `--no-floating`
 * and `--strict-provenance` can only tighten what the file says.
 *
 * Defaults (no file, no flag): context `.`, Dockerfile `Dockerfile`, the
 * builder's own platform, tags `{{version}}`, `{{major}}.{{minor}}`,
 * `{{major}}`, `latest`, commit tag `sha-{{sha7}}`, builder `auto`, immutable
 * versions, floating tags on, rebuild after a failed retag.
 */
import { resolve } from "node:path";
import { ReshipError } from "../errors.js";
import { commitTagTemplate, DEFAULT_TAG_TEMPLATES, imageNames, PLATFORM_PATTERN } from "../config/index.js";
import type { ImageConfig, LoadedConfig } from "../config/index.js";
import { formatRepository, parseRepository, sameRepository } from "../oci/index.js";
import type { Repository } from "../oci/index.js";
import type { TagRules } from "./tags.js";

export type BuilderChoice = "auto" | "buildx" | "docker" | "buildah";

/** The flags of `reship release` / `reship build`, as parsed. Absent = not given. */
export interface ReleaseFlags {
  readonly images: readonly string[];
  readonly context?: string | undefined;
  readonly file?: string | undefined;
  /** Comma-separated platforms. */
  readonly platform?: string | undefined;
  readonly target?: string | undefined;
  /** KEY=VALUE each. */
  readonly buildArg?: readonly string[] | undefined;
  readonly secret?: readonly string[] | undefined;
  readonly cacheFrom?: readonly string[] | undefined;
  readonly cacheTo?: readonly string[] | undefined;
  readonly builder?: BuilderChoice | undefined;
  readonly commitTag?: string | undefined;
  /** Version tag templates; replace the file's when any is given. */
  readonly tag?: readonly string[] | undefined;
  /** false with --no-floating. */
  readonly floating?: boolean | undefined;
  readonly force?: boolean | undefined;
  readonly strictProvenance?: boolean | undefined;
  readonly onRetagFailure?: "rebuild" | "fail" | undefined;
  readonly rebuild?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
}

/** One image to release, fully resolved. */
export interface ImageTarget {
  /** The name as written (the first one when there are several). */
  readonly name: string;
  /** Every repository it goes to (several names across registries). */
  readonly repositories: readonly Repository[];
  /** Absolute build context. */
  readonly context: string;
  /** Relative to the context. */
  readonly dockerfile: string;
  /** [] = the builder's own platform. */
  readonly platforms: readonly string[];
  readonly target: string | undefined;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly tagRules: TagRules;
}

export interface ReleasePolicy {
  readonly force: boolean;
  readonly immutableVersions: boolean;
  readonly strictProvenance: boolean;
  readonly floatingTags: boolean;
  readonly onRetagFailure: "rebuild" | "fail";
  readonly rebuild: boolean;
}

export interface ReleaseSettings {
  readonly images: readonly ImageTarget[];
  readonly commitTagTemplate: string;
  readonly builder: BuilderChoice;
  readonly policy: ReleasePolicy;
  readonly secrets: readonly string[];
  readonly cacheFrom: readonly string[];
  readonly cacheTo: readonly string[];
  /** From the file and the global flag together. */
  readonly insecureRegistries: readonly string[];
  readonly dryRun: boolean;
}

export interface ResolveSettingsOptions {
  readonly flags: ReleaseFlags;
  readonly config: LoadedConfig | undefined;
  /** Where relative flag paths start. */
  readonly cwd: string;
  /** --insecure-registry. */
  readonly insecureRegistries: readonly string[];
}

/** Merges flags over reship.yaml; throws USAGE / INVALID_REFERENCE on bad input, before any I/O. */
export function resolveReleaseSettings(options: ResolveSettingsOptions): ReleaseSettings {
  const { flags, config, cwd } = options;
  const file = config?.config;
  const platforms = flags.platform === undefined ? undefined : parsePlatforms(flags.platform);
  const buildArgs = parseBuildArgs(flags.buildArg ?? []);
  const defaultRules: TagRules = file?.tags ?? {
    templates: [...DEFAULT_TAG_TEMPLATES],
    prefix: "",
    suffix: "",
  };

  const chosen = chooseImages(flags.images, file?.images);
  const images = chosen.map(({ image, names }): ImageTarget => {
    const rules =
      flags.tag !== undefined && flags.tag.length > 0
        ? { ...defaultRules, templates: [...flags.tag] }
        : (image?.tags ?? defaultRules);
    const context =
      flags.context !== undefined
        ? resolve(cwd, flags.context)
        : resolve(image !== undefined && config !== undefined ? config.dir : cwd, image?.context ?? ".");
    return {
      name: names[0] ?? "",
      repositories: names.map((n) => parseRepository(n)),
      context,
      dockerfile: flags.file ?? image?.dockerfile ?? "Dockerfile",
      platforms: platforms ?? image?.platforms ?? [],
      target: flags.target ?? image?.target,
      buildArgs: { ...stringArgs(image?.buildArgs ?? {}), ...buildArgs },
      tagRules: rules,
    };
  });

  const policies = file?.policies;
  return {
    images,
    commitTagTemplate: flags.commitTag ?? commitTagTemplate(file?.commitTag),
    builder: flags.builder ?? file?.builder ?? "auto",
    policy: {
      force: flags.force ?? false,
      immutableVersions: policies?.immutableVersions ?? true,
      strictProvenance: (flags.strictProvenance ?? false) || (policies?.strictProvenance ?? false),
      floatingTags: (flags.floating ?? true) && (policies?.floatingTags ?? true),
      onRetagFailure: flags.onRetagFailure ?? policies?.onRetagFailure ?? "rebuild",
      rebuild: flags.rebuild ?? false,
    },
    secrets: flags.secret ?? [],
    cacheFrom: flags.cacheFrom ?? [],
    cacheTo: flags.cacheTo ?? [],
    insecureRegistries: [...new Set([...options.insecureRegistries, ...(file?.insecureRegistries ?? [])])],
    dryRun: flags.dryRun ?? false,
  };
}

/** Images named on the command line (matched against the file by any of their names), else all the file's. */
function chooseImages(
  args: readonly string[],
  fileImages: readonly ImageConfig[] | undefined,
): { image: ImageConfig | undefined; names: readonly string[] }[] {
  if (args.length === 0) {
    if (fileImages === undefined) {
      throw new ReshipError(
        "USAGE",
        "name the image to release (e.g. ghcr.io/acme/app), or list images in reship.yaml",
      );
    }
    return fileImages.map((image) => ({ image, names: imageNames(image) }));
  }
  return args.map((arg) => {
    const repo = parseRepository(arg);
    const image = fileImages?.find((i) =>
      imageNames(i).some((n) => sameRepository(parseRepository(n), repo)),
    );
    return image !== undefined
      ? { image, names: imageNames(image) }
      : { image: undefined, names: [formatRepository(repo)] };
  });
}

function parsePlatforms(list: string): string[] {
  const platforms = list
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const p of platforms) {
    if (!PLATFORM_PATTERN.test(p))
      throw new ReshipError("USAGE", `--platform: "${p}" is not a platform like linux/amd64`);
  }
  if (platforms.length === 0)
    throw new ReshipError("USAGE", "--platform: give at least one platform, e.g. linux/amd64");
  return platforms;
}

function parseBuildArgs(specs: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    if (eq <= 0) throw new ReshipError("USAGE", `--build-arg "${spec}": expected KEY=VALUE`);
    args[spec.slice(0, eq)] = spec.slice(eq + 1);
  }
  return args;
}

function stringArgs(args: Readonly<Record<string, string | number | boolean>>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
}
