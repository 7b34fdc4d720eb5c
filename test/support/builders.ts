/**
 * Helpers for build tests: FROM scratch build contexts (no base image to pull,
 * no emulation needed for foreign platforms), buildah settings for daemonless
 * builds as root with storage of the test's own, and a recording fake `docker`
 * for checking buildx argv where no buildx plugin is installed.
 */
import { randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BuildahOptions, BuildRequest } from "../../src/build/index.js";

export interface ScratchContextOptions {
  /** Dockerfile text; default `FROM scratch` + `COPY file /file`. */
  readonly dockerfile?: string;
  /** Extra files of the context, by relative name. */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * Writes a build context whose `file` holds a random line, so each test's
 * image (and digest) is its own. Returns the context directory.
 */
export async function writeScratchContext(dir: string, options: ScratchContextOptions = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "Dockerfile"), options.dockerfile ?? "FROM scratch\nCOPY file /file\n");
  await writeFile(join(dir, "file"), `${randomUUID()}\n`);
  for (const [name, text] of Object.entries(options.files ?? {})) await writeFile(join(dir, name), text);
  return dir;
}

/** A request with every list empty; override what the test needs. */
export function buildRequest(
  context: string,
  tags: readonly string[],
  extra: Partial<BuildRequest> = {},
): BuildRequest {
  return {
    context,
    platforms: [],
    buildArgs: {},
    labels: {},
    secrets: [],
    cacheFrom: [],
    cacheTo: [],
    tags,
    insecureRegistries: [],
    ...extra,
  };
}

/** vfs storage under `dir` and chroot isolation: buildah as root, no daemon, no overlay mounts. */
export function daemonlessBuildah(dir: string): BuildahOptions {
  return { storageDriver: "vfs", isolation: "chroot", root: join(dir, "storage"), runroot: join(dir, "run") };
}

export interface FakeDockerOptions {
  /** `docker buildx version` succeeds (default true); false prints docker's "not a docker command". */
  readonly buildx?: boolean;
  /** `docker version` succeeds, i.e. a daemon answers (default false). */
  readonly daemon?: boolean;
  /** What `buildx build` writes as containerimage.digest to --metadata-file. */
  readonly digest?: string;
  /** Exit status of `buildx build` (default 0); non-zero prints an error line on stderr. */
  readonly buildExit?: number;
}

export interface FakeDocker {
  /** The directory to put first on PATH. */
  readonly binDir: string;
  /** Every invocation's argv (without the program), in order. */
  calls(): Promise<string[][]>;
}

/**
 * Writes `binDir/docker`: a node script that appends its argv as one JSON line
 * to a log, prints a line on each stream (for streaming checks), and answers
 * as configured.
 */
export async function writeFakeDocker(dir: string, options: FakeDockerOptions = {}): Promise<FakeDocker> {
  const binDir = join(dir, "bin");
  const log = join(dir, "docker-calls.jsonl");
  await mkdir(binDir, { recursive: true });
  const config = JSON.stringify({
    log,
    buildx: options.buildx ?? true,
    daemon: options.daemon ?? false,
    digest: options.digest ?? `sha256:${"a1".repeat(32)}`,
    buildExit: options.buildExit ?? 0,
  });
  const script = `#!${process.execPath}
const fs = require("node:fs");
const c = ${config};
const argv = process.argv.slice(2);
fs.appendFileSync(c.log, JSON.stringify(argv) + "\\n");
if (argv[0] === "version") process.exit(c.daemon ? 0 : 1);
if (argv[0] !== "buildx") process.exit(0);
if (!c.buildx) {
  process.stderr.write("docker: 'buildx' is not a docker command.\\nSee 'docker --help'\\n");
  process.exit(1);
}
if (argv[1] === "version") { process.stdout.write("github.com/docker/buildx v0.0.0-fake\\n"); process.exit(0); }
process.stdout.write("fake build: stdout line\\n");
process.stderr.write("#1 fake build: stderr line\\n");
if (c.buildExit !== 0) { process.stderr.write("ERROR: failed to solve: fake failure\\n"); process.exit(c.buildExit); }
const i = argv.indexOf("--metadata-file");
if (i >= 0) fs.writeFileSync(argv[i + 1], JSON.stringify({ "containerimage.digest": c.digest }));
`;
  const path = join(binDir, "docker");
  await writeFile(path, script);
  await chmod(path, 0o755);
  return {
    binDir,
    calls: async () => {
      const text = await readFile(log, "utf8").catch(() => "");
      return text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as string[]);
    },
  };
}
