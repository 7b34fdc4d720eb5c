/**
 * The GitHub Action's entry point (bundled to action/dist/index.js): runs
 * `reship release` with the Action's inputs. The release command writes the
 * step outputs (digest, tags, action, reused) and the job summary itself.
 */
import { main } from "../cli/main.js";
import { actionInvocation, maskCommand } from "./inputs.js";

async function runAction(): Promise<number> {
  let invocation;
  try {
    invocation = actionInvocation(process.env);
  } catch (err) {
    process.stdout.write(`::error::${(err as Error).message}\n`);
    return 2;
  }
  for (const secret of invocation.secrets) process.stdout.write(maskCommand(secret));
  return main({
    argv: invocation.argv,
    stdout: process.stdout,
    stderr: process.stderr,
    env: { ...process.env, ...invocation.env },
    cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  });
}

process.exitCode = await runAction();
