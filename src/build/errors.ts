/**
 * Build failures. A builder that exits non-zero becomes a BuildError (code
 * BUILD) carrying the argv, the exit code and the last lines of its stderr, so
 * a failed release shows why without scrolling back. A builder that is not
 * installed is BUILDER_MISSING, with what to install.
 */
import { ReshipError } from "../errors.js";
import type { Command } from "./types.js";

export class BuildError extends ReshipError {
  override readonly name = "BuildError";
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stderrTail: readonly string[];

  constructor(cmd: Command, exitCode: number, stderrTail: readonly string[], options?: { cause?: unknown }) {
    const argv = [cmd.command, ...cmd.args];
    const tail = stderrTail.length > 0 ? `:\n${stderrTail.map((l) => `  ${l}`).join("\n")}` : "";
    super("BUILD", `${formatArgv(argv)} failed with exit code ${exitCode}${tail}`, options);
    this.argv = argv;
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
  }
}

/** What to install for each missing program, by the name it is run as. */
const installHints: Readonly<Record<string, string>> = {
  docker: "install the Docker CLI (Debian: docker.io) or pass --builder buildah",
  buildx: "install the docker buildx plugin (Debian: docker-buildx) or pass --builder docker",
  buildah: "install buildah (Debian: buildah) or pass --builder docker",
};

export function builderMissing(program: string, detail?: string): ReshipError {
  const base = program.split("/").pop() ?? program;
  const hint = installHints[base] ?? `install ${base} or put it on PATH`;
  return new ReshipError("BUILDER_MISSING", `${detail ?? `${program} was not found`}: ${hint}`);
}

/** Argv for a message: quoted only where a reader would otherwise misread it. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (a === "" || /[\s"'\\$`]/.test(a) ? JSON.stringify(a) : a)).join(" ");
}
