/**
 * The command line: flags and help for every command, declared here so
 * `--help` needs nothing else; each command's handler lives in
 * commands/<name>.ts and is imported only when that command runs, which keeps
 * start-up (paid by every CI step) to the parser alone.
 */
import { Command, CommanderError, Option } from "commander";
import { ReshipError } from "../errors.js";
import type { Writable } from "node:stream";
import type { CommandContext, GlobalOptions } from "./context.js";
import { EXIT_FAILED, EXIT_USAGE, exitStatusByCode } from "./exit-codes.js";
import { reshipVersion } from "./version.js";

export interface MainIo {
  readonly argv: readonly string[];
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface RawGlobals {
  json: boolean;
  insecureRegistry: string[];
  caFile?: string;
  verbose: boolean;
}

/** The flags every command accepts, before or after its name. */
function withGlobalOptions(command: Command): Command {
  return command
    .option("--json", "print one JSON document on stdout instead of text", false)
    .option("--insecure-registry <host>", "reach this registry over plain HTTP (repeatable)", collect, [])
    .option("--ca-file <path>", "trust the CA certificates in this PEM file too")
    .option("-v, --verbose", "log every registry request on stderr (secrets redacted)", false);
}

/** Runs the CLI and resolves to its exit status; never calls process.exit. */
export async function main(io: MainIo): Promise<number> {
  let status = 0;
  const program = withGlobalOptions(new Command("reship"))
    .description("Release container images without ever building the same thing twice.")
    .version(reshipVersion(), "--version", "print reship's version")
    // Options after a command name belong to that command, so `release --version 1.2.3`
    // is the release's version; the global flags are declared on every command too.
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  const context = (command: Command): CommandContext => {
    const local = command.opts<Partial<RawGlobals>>();
    const global = program.opts<RawGlobals>();
    const globals: GlobalOptions = {
      json: global.json || local.json === true,
      insecureRegistries: [...global.insecureRegistry, ...(local.insecureRegistry ?? [])],
      caFile: local.caFile ?? global.caFile,
      verbose: global.verbose || local.verbose === true,
    };
    return { stdout: io.stdout, stderr: io.stderr, env: io.env, cwd: io.cwd, globals };
  };

  /** Wires a command to its lazily imported handler. */
  const handle =
    (load: () => Promise<{ run: (ctx: CommandContext, args: never, options: never) => Promise<number> }>) =>
    async (...params: unknown[]): Promise<void> => {
      // commander passes the positional arguments, then the options, then the command.
      const command: Command = params.at(-1) as Command;
      const args = params.slice(0, -2);
      const { run } = await load();
      status = await run(context(command), args as never, command.opts<never>());
    };

  withGlobalOptions(program.command("exists"))
    .description("tell whether an image exists: exit 0 found, 1 not found, 3 could not tell")
    .argument("<ref>", "image reference, e.g. ghcr.io/acme/app:sha-1a2b3c4")
    .action(handle(() => import("./commands/exists.js")));

  withGlobalOptions(program.command("inspect"))
    .description("show an image's digest, media type, platforms, revision label, created time and size")
    .argument("<ref>", "image reference")
    .option("--raw", "print the manifest's exact bytes", false)
    .action(handle(() => import("./commands/inspect.js")));

  withGlobalOptions(program.command("tag"))
    .description("put SRC's manifest under each TAG of the same repository, moving no layer")
    .argument("<src>", "image reference to re-tag")
    .argument("<tags...>", "new tags (or full references in the same repository)")
    .action(handle(() => import("./commands/tag.js")));

  withGlobalOptions(program.command("copy"))
    .alias("cp")
    .description("copy an image or index, with all its platforms, to another repository or registry")
    .argument("<src>", "source image reference")
    .argument("<dst>", "destination image reference")
    .option("--concurrency <n>", "blobs copied at once", "4")
    .action(handle(() => import("./commands/copy.js")));

  const buildOptions = (cmd: Command): Command =>
    cmd
      .option("-c, --config <path>", "reship.yaml to read (default: ./reship.yaml when present)")
      .option("--commit <sha>", "the commit (default: $GITHUB_SHA, else git rev-parse HEAD)")
      .option("--context <dir>", "build context directory")
      .option("-f, --file <path>", "Dockerfile, relative to the context")
      .option("--platform <list>", "target platforms, comma separated (e.g. linux/amd64,linux/arm64)")
      .option("--target <stage>", "build stage to build")
      .option("--build-arg <key=value>", "build argument (repeatable)", collect, [])
      .option("--secret <spec>", "build secret passed to the builder (repeatable)", collect, [])
      .option("--cache-from <spec>", "cache source passed to the builder (repeatable)", collect, [])
      .option("--cache-to <spec>", "cache destination passed to the builder (repeatable)", collect, [])
      .addOption(
        new Option("--builder <name>", "builder back end").choices(["auto", "buildx", "docker", "buildah"]),
      )
      .option("--commit-tag <template>", "commit tag format, e.g. sha-{{sha7}} or {{sha}}");

  buildOptions(
    withGlobalOptions(program.command("release"))
      .description("release a version: re-tag the commit's image when it exists, build it once when not")
      .argument("[images...]", "image names (default: every image of reship.yaml)")
      .option("--version <version>", "the version to release, e.g. 1.4.2 or v1.4.2")
      .option("--tag <template>", "version tag template (repeatable), e.g. v{{version}}", collect, [])
      .option("--no-floating", "do not move floating tags (1.4, 1, latest)")
      .option("--force", "move a version tag that already points at another image", false)
      .option(
        "--strict-provenance",
        "fail instead of building when the commit image's label names another commit",
        false,
      )
      .addOption(
        new Option(
          "--on-retag-failure <what>",
          "when re-tagging fails (default: policies.onRetagFailure of reship.yaml, else rebuild)",
        ).choices(["rebuild", "fail"]),
      )
      .option(
        "--dry-run",
        "print the observations, the decision and the requests it would make; write nothing",
        false,
      ),
  ).action(handle(() => import("./commands/release.js")));

  buildOptions(
    withGlobalOptions(program.command("build"))
      .description("build and push the commit's image, unless it already exists with matching provenance")
      .argument("[images...]", "image names (default: every image of reship.yaml)")
      .option("--rebuild", "build even when the commit's image already exists", false)
      .option("--dry-run", "say what would be built; build nothing", false),
  ).action(handle(() => import("./commands/build.js")));

  withGlobalOptions(program.command("plan"))
    .description("say which image builds this CI run must do, from the GitHub Actions context")
    .option("-c, --config <path>", "reship.yaml to read")
    .option("--event <name>", "event name (default: $GITHUB_EVENT_NAME)")
    .option("--ref <ref>", "git ref (default: $GITHUB_REF)")
    .option("--sha <sha>", "commit (default: $GITHUB_SHA)")
    .action(handle(() => import("./commands/plan.js")));

  withGlobalOptions(program.command("audit"))
    .description("count image builds per event in GitHub Actions workflows and flag duplicates")
    .argument("[paths...]", "workflow files or directories (default: .github/workflows)")
    .option("-c, --config <path>", "reship.yaml to read")
    .option("--event <spec>", "also simulate this event, e.g. push:refs/heads/dev (repeatable)", collect, [])
    .action(handle(() => import("./commands/audit.js")));

  withGlobalOptions(program.command("init"))
    .description("write an optimized workflow for the images of reship.yaml")
    .option("-c, --config <path>", "reship.yaml to read")
    .option("-o, --output <path>", "where to write", ".github/workflows/reship.yml")
    .addOption(
      new Option("--cache <type>", "build cache back end").choices(["gha", "registry"]).default("gha"),
    )
    .option("--force", "overwrite an existing workflow", false)
    .option("--stdout", "print the workflow instead of writing it", false)
    .action(handle(() => import("./commands/init.js")));

  try {
    await program.parseAsync([...io.argv], { from: "user" });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exit code 0; parse errors were already printed.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof ReshipError) {
      io.stderr.write(`reship: ${err.message}\n`);
      return exitStatusByCode[err.code];
    }
    io.stderr.write(`reship: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_FAILED;
  }
}
