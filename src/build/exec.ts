/**
 * Runs one command through the runner and turns a non-zero exit into a
 * BuildError, so every back end fails the same way; and checks that the
 * pushes of one build all reported the same digest.
 */
import { ReshipError, isReshipError } from "../errors.js";
import { BuildError, builderMissing } from "./errors.js";
import type { BuildIo, Command, ProcessRunner, RunOutcome } from "./types.js";

/**
 * `program` names what to install when the command is not found (`docker`,
 * `buildx`, `buildah`), whatever path it was run as.
 */
export async function runChecked(
  runner: ProcessRunner,
  cmd: Command,
  io: BuildIo | undefined,
  program: string,
): Promise<RunOutcome> {
  let outcome: RunOutcome;
  try {
    outcome = await runner.run(cmd, io);
  } catch (err) {
    if (isReshipError(err, "BUILDER_MISSING")) throw builderMissing(program, `${cmd.command} was not found`);
    throw err;
  }
  if (outcome.exitCode !== 0) throw new BuildError(cmd, outcome.exitCode, outcome.stderrTail);
  return outcome;
}

/** True when the command runs and exits 0; a missing binary or a failure is false. */
export async function succeeds(runner: ProcessRunner, cmd: Command, io?: BuildIo): Promise<boolean> {
  try {
    return (await runner.run(cmd, io)).exitCode === 0;
  } catch {
    return false;
  }
}

/**
 * The digest every push of one build reported (`digests[i]` for `tags[i]`);
 * a BUILD error when nothing was pushed or two pushes disagree.
 */
export function onePushedDigest(
  builder: string,
  tags: readonly string[],
  digests: readonly string[],
): string {
  const [first] = digests;
  if (first === undefined) throw new ReshipError("BUILD", `${builder} pushed no tag`);
  const other = digests.findIndex((d) => d !== first);
  if (other >= 0) {
    throw new ReshipError(
      "BUILD",
      `${builder} pushed ${tags[0]} as ${first} but ${tags[other]} as ${digests[other]}`,
    );
  }
  return first;
}
