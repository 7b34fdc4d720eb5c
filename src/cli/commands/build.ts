/**
 * `reship build [IMAGE...]`: build and push the commit's image under its
 * commit tag, which is what a push to the default branch runs after its
 * tests; skipped, saying so, when that image already exists and its revision
 * label names this commit, unless --rebuild. Same engine as release.
 */
import type { CommandContext } from "../context.js";
import { runReleaseCommand } from "./release.js";
import type { ReleaseCommandOptions } from "./release.js";

export function run(
  ctx: CommandContext,
  [images]: [string[]],
  options: ReleaseCommandOptions,
): Promise<number> {
  return runReleaseCommand(ctx, "build", images, options);
}
