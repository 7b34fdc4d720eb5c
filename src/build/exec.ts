/**
 * Runs one command through the runner and turns a non-zero exit into a
 * BuildError, so every back end fails the same way.
 */
import { BuildError } from "./errors.js";
import type { BuildIo, Command, ProcessRunner, RunOutcome } from "./types.js";

export async function runChecked(runner: ProcessRunner, cmd: Command, io?: BuildIo): Promise<RunOutcome> {
  const outcome = await runner.run(cmd, io);
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
