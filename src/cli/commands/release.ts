/**
 * `reship release [IMAGE...] --version V`: re-tag the commit's image under the
 * version's tags when it exists, build it once when not. Also the body of
 * `reship build` (mode "build": the commit tag only). Parses flags, loads
 * reship.yaml, resolves the commit, calls runRelease and prints the report:
 * text or --json on stdout, builder output on stderr, and in GitHub Actions
 * the step outputs (digest, tags, action, reused) and a job summary table.
 */
import { ReshipError } from "../../errors.js";
import { createBuilder, spawnRunner } from "../../build/index.js";
import { loadConfig } from "../../config/index.js";
import {
  parseVersion,
  reportLines,
  reportMarkdown,
  reportOutputs,
  resolveCommit,
  resolveReleaseSettings,
  runRelease,
  versionTags,
} from "../../release/index.js";
import type { BuilderChoice, ReleaseFlags } from "../../release/index.js";
import type { CommandContext } from "../context.js";
import { EXIT_FAILED, EXIT_OK } from "../exit-codes.js";
import { printJson, printLines, writeGithubOutputs, writeGithubSummary } from "../output.js";
import { registryClientFor } from "../registry-client.js";

/** The options commander hands to release and build. */
export interface ReleaseCommandOptions {
  readonly config?: string;
  readonly commit?: string;
  readonly context?: string;
  readonly file?: string;
  readonly platform?: string;
  readonly target?: string;
  readonly buildArg?: string[];
  readonly secret?: string[];
  readonly cacheFrom?: string[];
  readonly cacheTo?: string[];
  readonly builder?: BuilderChoice;
  readonly commitTag?: string;
  readonly version?: string;
  readonly tag?: string[];
  readonly floating?: boolean;
  readonly force?: boolean;
  readonly strictProvenance?: boolean;
  readonly onRetagFailure?: "rebuild" | "fail";
  readonly rebuild?: boolean;
  readonly dryRun?: boolean;
}

export function run(
  ctx: CommandContext,
  [images]: [string[]],
  options: ReleaseCommandOptions,
): Promise<number> {
  return runReleaseCommand(ctx, "release", images, options);
}

export async function runReleaseCommand(
  ctx: CommandContext,
  mode: "release" | "build",
  images: readonly string[],
  options: ReleaseCommandOptions,
): Promise<number> {
  if (mode === "release" && options.version === undefined) {
    throw new ReshipError("USAGE", "reship release needs --version, e.g. --version 1.4.2");
  }
  const config = await loadConfig({ path: options.config, cwd: ctx.cwd });
  const flags: ReleaseFlags = {
    images,
    context: options.context,
    file: options.file,
    platform: options.platform,
    target: options.target,
    buildArg: options.buildArg,
    secret: options.secret,
    cacheFrom: options.cacheFrom,
    cacheTo: options.cacheTo,
    builder: options.builder,
    commitTag: options.commitTag,
    tag: options.tag,
    floating: options.floating,
    force: options.force,
    strictProvenance: options.strictProvenance,
    onRetagFailure: options.onRetagFailure,
    rebuild: options.rebuild,
    dryRun: options.dryRun,
  };
  const settings = resolveReleaseSettings({
    flags,
    config,
    cwd: ctx.cwd,
    insecureRegistries: ctx.globals.insecureRegistries,
  });
  // Bad versions are refused before git or any registry is asked anything.
  if (mode === "release" && options.version !== undefined) {
    const version = parseVersion(options.version);
    for (const image of settings.images)
      versionTags(version, image.tagRules, { floating: settings.policy.floatingTags });
  }
  const runner = spawnRunner({ env: ctx.env });
  const commit = await resolveCommit({
    commit: options.commit,
    ciSha: ctx.env.GITHUB_SHA,
    cwd: settings.images[0]?.context ?? ctx.cwd,
    runner,
  });
  const client = registryClientFor({
    ...ctx,
    globals: { ...ctx.globals, insecureRegistries: settings.insecureRegistries },
  });
  const source =
    ctx.env.GITHUB_SERVER_URL && ctx.env.GITHUB_REPOSITORY
      ? `${ctx.env.GITHUB_SERVER_URL}/${ctx.env.GITHUB_REPOSITORY}`
      : undefined;
  const report = await runRelease({
    mode,
    settings,
    version: mode === "release" ? options.version : undefined,
    commit,
    client,
    // The builders load only when something must be built (createBuilder imports them on its first call).
    createBuilder: (choice, platforms) => createBuilder(choice, { platforms, env: ctx.env, runner }),
    source,
    onBuildLine: (image, _stream, line) => void ctx.stderr.write(`[${image}] ${line}\n`),
  });
  if (!settings.dryRun) writeGithubOutputs(ctx, reportOutputs(report));
  writeGithubSummary(ctx, reportMarkdown(report));
  if (ctx.globals.json) printJson(ctx, report);
  else printLines(ctx, reportLines(report));
  for (const image of report.images) {
    if (image.error) ctx.stderr.write(`reship: ${image.image}: ${image.error.message}\n`);
  }
  return report.ok ? EXIT_OK : EXIT_FAILED;
}
