/**
 * What every command handler receives: its streams, environment and the
 * global flags, injected so tests can capture output and set the environment.
 */
import type { Writable } from "node:stream";

export interface GlobalOptions {
  /** --json: one JSON document on stdout instead of human text. */
  readonly json: boolean;
  /** --insecure-registry HOST (repeatable): registries reached over plain HTTP. */
  readonly insecureRegistries: readonly string[];
  /** --ca-file PATH: extra CA certificates (PEM) trusted besides the system's. */
  readonly caFile: string | undefined;
  /** -v/--verbose: the request log on stderr, without secrets. */
  readonly verbose: boolean;
}

export interface CommandContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly globals: GlobalOptions;
}

/** A command handler: parsed arguments and options in, exit status out. */
export type CommandHandler<A extends readonly unknown[], O> = (
  ctx: CommandContext,
  args: A,
  options: O,
) => Promise<number>;
