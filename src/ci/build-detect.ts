/**
 * Recognises the steps that build container images, and the steps that push
 * or promote them. Builds: docker/build-push-action, docker/bake-action,
 * redhat-actions/buildah-build, kaniko (the executor image or an action named
 * for it), and in run scripts `docker build`, `docker buildx build`,
 * `docker image build`, `docker compose build`, `docker-compose build`,
 * `buildah bud|build`, `podman build`, `/kaniko/executor`. Not builds:
 * `container:`, `services:`, `docker run`, `docker pull`, `buildx imagetools`.
 */
import type { Tri } from "./expression.js";
import { splitCommands } from "./shell-commands.js";
import type { StepModel, YamlValue } from "./workflow-model.js";

export interface CacheUse {
  /** gha, registry, inline, local, s3, azblob, ... */
  readonly type: string;
  readonly scope: string | undefined;
  readonly direction: "from" | "to";
}

export interface DetectedBuild {
  /** What builds: the action's name without version, or the command ("docker build"). */
  readonly tool: string;
  /** Every tag, as resolved (unknown parts kept as written). */
  readonly tags: readonly string[];
  readonly context: string;
  readonly dockerfile: string;
  readonly target: string | undefined;
  readonly platforms: readonly string[];
  readonly pushed: Tri;
  readonly cache: readonly CacheUse[];
  /** A key that identifies a bake or compose build when there is no Dockerfile to name. */
  readonly recipe: string | undefined;
  /** Build arguments that change the image (BUILDKIT_INLINE_CACHE left out), sorted. */
  readonly buildArgs: readonly string[];
}

export interface StepActivity {
  readonly builds: readonly DetectedBuild[];
  /** Repositories a step pushes (docker push, push-to-registry): marks earlier builds of the job as pushed. */
  readonly pushes: readonly string[];
  /** The step promotes with `reship release` (the Action or the CLI). */
  readonly promotes: boolean;
}

/** Turns a step's value into text: expressions evaluated, or kept as written when unknown. */
export type Resolve = (value: YamlValue | undefined) => string | undefined;
/** Turns a step's value into true/false/unknown. */
export type ResolveBool = (value: YamlValue | undefined) => Tri | undefined;

export function detectStep(step: StepModel, resolve: Resolve, resolveBool: ResolveBool): StepActivity {
  if (step.uses !== undefined) return detectAction(step, resolve, resolveBool);
  if (step.run !== undefined) return detectScript(resolve(step.run) ?? "");
  return { builds: [], pushes: [], promotes: false };
}

function actionName(uses: string): string {
  return uses.split("@")[0]?.toLowerCase() ?? "";
}

function detectAction(step: StepModel, resolve: Resolve, resolveBool: ResolveBool): StepActivity {
  const uses = step.uses ?? "";
  const name = actionName(uses);
  const w = (key: string): string | undefined => resolve(step.with[key]);
  const none: StepActivity = { builds: [], pushes: [], promotes: false };
  if (name === "docker/build-push-action") {
    const context = normalizeDir(w("context") ?? ".");
    const outputs = lines(w("outputs"));
    const push = resolveBool(step.with.push);
    const pushedByOutput = outputs.some(
      (o) => /type=(registry|image)/.test(o) && (/type=registry/.test(o) || /push=true/.test(o)),
    );
    const buildArgs = lines(w("build-args"));
    const cache = [
      ...lines(w("cache-from")).map((s) => parseCacheSpec(s, "from")),
      ...lines(w("cache-to")).map((s) => parseCacheSpec(s, "to")),
      ...(buildArgs.some((a) => /^BUILDKIT_INLINE_CACHE=(1|true)$/i.test(a))
        ? [{ type: "inline", scope: undefined, direction: "to" as const }]
        : []),
    ];
    return {
      builds: [
        {
          tool: name,
          tags: list(w("tags")),
          context,
          dockerfile: normalizeFile(w("file"), context),
          target: w("target"),
          platforms: list(w("platforms")),
          pushed: pushedByOutput ? true : (push ?? false),
          cache,
          recipe: undefined,
          buildArgs: imageArgs(buildArgs),
        },
      ],
      pushes: [],
      promotes: false,
    };
  }
  if (name === "docker/bake-action") {
    const files = list(w("files") ?? w("source"));
    const targets = list(w("targets"));
    const set = lines(w("set"));
    return {
      builds: [
        {
          tool: name,
          tags: set.filter((s) => /\.tags=/.test(s)).map((s) => s.replace(/^.*?\.tags=/, "")),
          context: ".",
          dockerfile: "",
          target: targets.join(",") || "default",
          platforms: [],
          pushed: resolveBool(step.with.push) ?? false,
          cache: set.flatMap((s) => {
            const m = /\.cache-(from|to)=(.*)$/.exec(s);
            return m ? [parseCacheSpec(m[2] ?? "", m[1] === "to" ? "to" : "from")] : [];
          }),
          recipe: `bake ${files.join(",") || "docker-bake.hcl"}#${targets.join(",") || "default"}`,
          buildArgs: [],
        },
      ],
      pushes: [],
      promotes: false,
    };
  }
  if (name === "redhat-actions/buildah-build") {
    const context = normalizeDir(w("context") ?? ".");
    const image = w("image");
    const tags = list(w("tags"));
    const files = list(w("containerfiles") ?? w("dockerfiles"));
    return {
      builds: [
        {
          tool: name,
          tags: image
            ? tags.length > 0
              ? tags.map((t) => (t.includes(":") || t.includes("/") ? t : `${image}:${t}`))
              : [image]
            : tags,
          context,
          dockerfile: normalizeFile(files[0], context),
          target: undefined,
          platforms: list(w("platforms")),
          pushed: false,
          cache: [],
          recipe: undefined,
          buildArgs: imageArgs(lines(w("build-args"))),
        },
      ],
      pushes: [],
      promotes: false,
    };
  }
  if (name === "redhat-actions/push-to-registry") {
    const image = w("image");
    const registry = w("registry");
    return image
      ? { ...none, pushes: [repositoryOf(registry ? `${registry.replace(/\/$/, "")}/${image}` : image)] }
      : none;
  }
  if (name.includes("kaniko")) {
    if (name.startsWith("docker://"))
      return detectScript(`/kaniko/executor ${w("args") ?? ""}`, name.replace(/^docker:\/\//, ""));
    const context = normalizeDir(w("context") ?? w("path") ?? ".");
    const image = w("image") ?? w("destination");
    const tags = list(w("tags"));
    return {
      builds: [
        {
          tool: name,
          tags: image
            ? tags.length > 0
              ? tags.map((t) => (t.includes(":") ? t : `${image}:${t}`))
              : [image]
            : tags,
          context,
          dockerfile: normalizeFile(w("file") ?? w("build_file") ?? w("dockerfile"), context),
          target: w("target"),
          platforms: [],
          pushed: resolveBool(step.with.push) ?? true,
          cache:
            resolveBool(step.with.cache) === true
              ? [{ type: "registry", scope: undefined, direction: "to" }]
              : [],
          recipe: undefined,
          buildArgs: imageArgs(lines(w("build-args") ?? w("build_args"))),
        },
      ],
      pushes: [],
      promotes: false,
    };
  }
  if (/(^|\/)reship$/.test(name) || /\/reship\/?$/.test(name)) return { ...none, promotes: true };
  return none;
}

const VALUE_FLAGS = new Set([
  "-t",
  "--tag",
  "-f",
  "--file",
  "--target",
  "--platform",
  "--cache-from",
  "--cache-to",
  "-o",
  "--output",
  "--build-arg",
  "--label",
  "--secret",
  "--builder",
  "--iidfile",
  "--metadata-file",
  "--progress",
  "--network",
  "--ssh",
  "--add-host",
  "--shm-size",
  "--ulimit",
  "--build-context",
  "--attest",
  "--sbom",
  "--provenance",
  "--annotation",
  "--allow",
  "--cgroup-parent",
  "-m",
  "--memory",
  "--format",
  "--authfile",
  "--creds",
  "--destination",
  "-d",
  "--context",
  "-c",
  "--dockerfile",
  "--cache-repo",
  "--build-arg-file",
  "--layers-from",
]);

/** Parses a run script; `executorTool` names the kaniko image when the script is its args. */
function detectScript(script: string, executorTool?: string): StepActivity {
  const builds: DetectedBuild[] = [];
  const pushes: string[] = [];
  let promotes = false;
  for (const raw of splitCommands(script)) {
    const argv = stripPrefixes(raw);
    const [cmd = "", a1, a2] = argv;
    const base = cmd.split("/").pop() ?? cmd;
    // npx flags (--yes, -y) may come before the package name.
    const npxArgs = argv.slice(1).filter((a) => !a.startsWith("-"));
    if (
      (base === "reship" && a1 === "release") ||
      ((base === "npx" || base === "pnpx") &&
        /^reship(@|$)/.test(npxArgs[0] ?? "") &&
        npxArgs[1] === "release")
    ) {
      promotes = true;
      continue;
    }
    if ((base === "docker" || base === "podman" || base === "buildah") && a1 === "push" && a2 !== undefined) {
      const positional = argv.slice(2).filter((a) => !a.startsWith("-"));
      if (positional[0]) pushes.push(repositoryOf(positional[0]));
      continue;
    }
    let rest: string[] | undefined;
    let tool = "";
    if (base === "docker" && (a1 === "build" || a1 === "builder"))
      [tool, rest] = ["docker build", argv.slice(a1 === "builder" ? 3 : 2)];
    else if (base === "docker" && a1 === "image" && a2 === "build")
      [tool, rest] = ["docker image build", argv.slice(3)];
    else if (base === "docker" && a1 === "buildx" && (a2 === "build" || a2 === "b"))
      [tool, rest] = ["docker buildx build", argv.slice(3)];
    else if (base === "buildah" && (a1 === "bud" || a1 === "build" || a1 === "build-using-dockerfile"))
      [tool, rest] = [`buildah ${a1}`, argv.slice(2)];
    else if (
      base === "podman" &&
      (a1 === "build" || (a1 === "image" && a2 === "build") || (a1 === "buildx" && a2 === "build"))
    )
      [tool, rest] = ["podman build", argv.slice(a1 === "build" ? 2 : 3)];
    else if (base === "executor" || cmd === "/kaniko/executor") {
      builds.push(kanikoBuild(argv.slice(1), executorTool ?? "kaniko"));
      continue;
    } else if ((base === "docker" && a1 === "compose") || base === "docker-compose") {
      const build = composeBuild(argv.slice(base === "docker" ? 2 : 1));
      if (build) builds.push(build);
      continue;
    }
    if (rest !== undefined) builds.push(dockerLikeBuild(tool, rest));
  }
  return { builds, pushes, promotes };
}

/** Drops what may precede a command: VAR=value assignments, sudo, time, exec, env. */
function stripPrefixes(argv: string[]): string[] {
  let i = 0;
  while (
    i < argv.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i] ?? "") ||
      ["sudo", "time", "exec", "env", "command"].includes(argv[i] ?? ""))
  )
    i++;
  return argv.slice(i);
}

interface Flags {
  readonly values: Map<string, string[]>;
  readonly booleans: Set<string>;
  readonly positional: string[];
}

function parseFlags(args: readonly string[]): Flags {
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("-") && arg !== "-") {
      const eq = arg.indexOf("=");
      const [flag, inline] =
        eq > 0 && arg.startsWith("--") ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
      if (inline !== undefined) values.set(flag, [...(values.get(flag) ?? []), inline]);
      else if (VALUE_FLAGS.has(flag) && i + 1 < args.length)
        values.set(flag, [...(values.get(flag) ?? []), args[++i] ?? ""]);
      else booleans.add(flag);
    } else {
      positional.push(arg);
    }
  }
  return { values, booleans, positional };
}

function get(flags: Flags, ...names: string[]): string[] {
  return names.flatMap((n) => flags.values.get(n) ?? []);
}

function dockerLikeBuild(tool: string, args: readonly string[]): DetectedBuild {
  const flags = parseFlags(args);
  const context = normalizeDir(flags.positional.at(-1) ?? ".");
  const outputs = get(flags, "-o", "--output");
  const pushed =
    flags.booleans.has("--push") ||
    outputs.some((o) => /type=registry/.test(o) || (/type=image/.test(o) && /push=true/.test(o)));
  const buildArgs = get(flags, "--build-arg");
  return {
    tool,
    tags: get(flags, "-t", "--tag"),
    context,
    dockerfile: normalizeFile(get(flags, "-f", "--file")[0], context),
    target: get(flags, "--target")[0],
    platforms: get(flags, "--platform").flatMap((p) => p.split(",")),
    pushed,
    cache: [
      ...get(flags, "--cache-from").map((s) => parseCacheSpec(s, "from")),
      ...get(flags, "--cache-to").map((s) => parseCacheSpec(s, "to")),
      ...(buildArgs.some((a) => /^BUILDKIT_INLINE_CACHE=(1|true)$/i.test(a))
        ? [{ type: "inline", scope: undefined, direction: "to" as const }]
        : []),
      ...(flags.booleans.has("--layers") || get(flags, "--layers").includes("true")
        ? [{ type: "local", scope: undefined, direction: "to" as const }]
        : []),
    ],
    recipe: undefined,
    buildArgs: imageArgs(buildArgs),
  };
}

function kanikoBuild(args: readonly string[], tool: string): DetectedBuild {
  const flags = parseFlags(args);
  const context = normalizeDir((get(flags, "--context", "-c")[0] ?? ".").replace(/^dir:\/\//, ""));
  return {
    tool,
    tags: get(flags, "--destination", "-d"),
    context,
    dockerfile: normalizeFile(get(flags, "--dockerfile", "-f")[0], context),
    target: get(flags, "--target")[0],
    platforms: [],
    pushed: !flags.booleans.has("--no-push"),
    cache:
      flags.booleans.has("--cache") || get(flags, "--cache").includes("true")
        ? [{ type: "registry", scope: get(flags, "--cache-repo")[0], direction: "to" }]
        : [],
    recipe: undefined,
    buildArgs: imageArgs(get(flags, "--build-arg")),
  };
}

function composeBuild(args: readonly string[]): DetectedBuild | undefined {
  // Global compose flags come before the subcommand.
  const files: string[] = [];
  let i = 0;
  for (; i < args.length && args[i] !== "build"; i++) {
    if ((args[i] === "-f" || args[i] === "--file") && args[i + 1]) files.push(args[++i] ?? "");
    else if (args[i]?.startsWith("--file=")) files.push(args[i]?.slice(7) ?? "");
    else if (!args[i]?.startsWith("-") && args[i - 1] !== "-p" && args[i - 1] !== "--project-name")
      return undefined;
  }
  if (args[i] !== "build") return undefined;
  const flags = parseFlags(args.slice(i + 1));
  const services = flags.positional;
  return {
    tool: "docker compose build",
    tags: [],
    context: ".",
    dockerfile: "",
    target: undefined,
    platforms: [],
    pushed: flags.booleans.has("--push"),
    cache: [],
    recipe: `compose ${files.join(",") || "compose.yaml"}#${services.join(",") || "all services"}`,
    buildArgs: [],
  };
}

/** Parses `type=gha,scope=x,mode=max` (or a bare registry ref, which means type=registry). */
export function parseCacheSpec(spec: string, direction: "from" | "to"): CacheUse {
  const fields = new Map<string, string>();
  for (const part of spec.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  if (!fields.has("type")) return { type: "registry", scope: spec.trim() || undefined, direction };
  const type = fields.get("type") ?? "";
  return { type, scope: type === "registry" ? fields.get("ref") : fields.get("scope"), direction };
}

/** The repository of an image reference: no tag, no digest, lowercase. */
export function repositoryOf(ref: string): string {
  let r = ref.trim();
  const at = r.indexOf("@");
  if (at >= 0) r = r.slice(0, at);
  const slash = r.lastIndexOf("/");
  const colon = r.lastIndexOf(":");
  // A colon after the last slash is a tag (a colon before it is a registry port);
  // a colon inside `${{ }}` text is not a tag separator.
  if (colon > slash && !r.slice(colon).includes("}}")) r = r.slice(0, colon);
  else if (colon > slash) r = r.replace(/:[^:/]*\$\{\{[^}]*\}\}[^:/]*$/, "");
  return r.toLowerCase();
}

function imageArgs(args: readonly string[]): string[] {
  return args.filter((a) => !/^BUILDKIT_INLINE_CACHE=/i.test(a)).sort();
}

function lines(value: string | undefined): string[] {
  return (value ?? "")
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "" && !s.startsWith("#"));
}

function list(value: string | undefined): string[] {
  // Split on commas and blanks, but never inside an unresolved `${{ }}`.
  return lines(value).flatMap((l) => l.match(/(?:\$\{\{[\s\S]*?\}\}|[^,\s])+/g) ?? []);
}

function normalizeDir(dir: string): string {
  const d = dir.replace(/^\.\/+/, "").replace(/\/+$/, "");
  return d === "" ? "." : d;
}

function normalizeFile(file: string | undefined, context: string): string {
  if (file === undefined || file === "") return context === "." ? "Dockerfile" : `${context}/Dockerfile`;
  return file.replace(/^\.\/+/, "");
}
