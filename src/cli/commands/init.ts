/**
 * `reship init`: writes the optimized workflow for the images of reship.yaml
 * (.github/workflows/reship.yml by default), refusing to overwrite an
 * existing file without --force; --stdout prints it instead.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { ciImagesFromConfig, ciRulesFromConfig, generateWorkflow } from "../../ci/index.js";
import { commitTagTemplate, loadConfig } from "../../config/index.js";
import { ReshipError } from "../../errors.js";
import type { CommandContext } from "../context.js";
import { printJson, printLines } from "../output.js";

interface InitOptions {
  readonly config?: string;
  readonly output: string;
  readonly cache: "gha" | "registry";
  readonly force: boolean;
  readonly stdout: boolean;
}

export async function run(ctx: CommandContext, _args: [], options: InitOptions): Promise<number> {
  const loaded = await loadConfig({ path: options.config, cwd: ctx.cwd });
  if (!loaded)
    throw new ReshipError(
      "CONFIG",
      "no reship.yaml here: reship init writes a workflow for its images (or pass --config)",
    );
  const configPath = relative(ctx.cwd, loaded.path);
  const workflow = generateWorkflow(ciImagesFromConfig(loaded.config), {
    defaultBranch: ciRulesFromConfig(loaded.config).defaultBranch,
    cache: options.cache,
    commitTag: commitTagTemplate(loaded.config.commitTag),
    configPath: configPath === "reship.yaml" || configPath === "reship.yml" ? undefined : configPath,
  });
  if (options.stdout) {
    ctx.stdout.write(workflow);
    return 0;
  }
  const target = resolve(ctx.cwd, options.output);
  if (existsSync(target) && !options.force) {
    throw new ReshipError(
      "USAGE",
      `${options.output} exists: pass --force to overwrite it, or --stdout to print the workflow`,
    );
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, workflow);
  if (ctx.globals.json) printJson(ctx, { written: options.output });
  else printLines(ctx, [`wrote ${options.output}: check it with reship audit`]);
  return 0;
}
