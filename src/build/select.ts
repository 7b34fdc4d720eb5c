/**
 * Picking a back end. A named one is returned as asked (its absence shows when
 * it builds, as BUILDER_MISSING); `auto` probes buildx, docker, buildah in that
 * order and takes the first available, skipping docker when more than one
 * platform was announced, and says why it chose what it chose.
 */
import { ReshipError } from "../errors.js";
import { BuildahBuilder } from "./buildah.js";
import { BuildxBuilder } from "./buildx.js";
import { resolveBuilderOptions } from "./context.js";
import { DockerBuilder } from "./docker.js";
import type { BuilderContext, BuilderOptions } from "./context.js";
import type { Builder, BuilderName } from "./types.js";

/** The order `auto` tries back ends in. */
export const AUTO_ORDER: readonly BuilderName[] = ["buildx", "docker", "buildah"];

const describe: Readonly<Record<BuilderName, string>> = {
  buildx: "docker buildx",
  docker: "docker with BuildKit",
  buildah: "buildah",
};

const absent: Readonly<Record<BuilderName, string>> = {
  buildx: "docker buildx not found",
  docker: "no docker daemon answers",
  buildah: "buildah not found",
};

function instantiate(name: BuilderName, ctx: BuilderContext): Builder {
  switch (name) {
    case "buildx":
      return new BuildxBuilder(ctx);
    case "docker":
      return new DockerBuilder(ctx);
    case "buildah":
      return new BuildahBuilder(ctx);
  }
}

export async function createBuilder(
  name: BuilderName | "auto",
  options: BuilderOptions = {},
): Promise<{ builder: Builder; reason: string }> {
  const ctx = resolveBuilderOptions(options);
  if (name !== "auto")
    return { builder: instantiate(name, ctx), reason: `${describe[name]} (as configured)` };

  const multiPlatform = (options.platforms?.length ?? 0) > 1;
  const skipped: string[] = [];
  for (const candidate of AUTO_ORDER) {
    if (candidate === "docker" && multiPlatform) {
      skipped.push("docker builds one platform only");
      continue;
    }
    const builder = instantiate(candidate, ctx);
    if (await builder.available()) {
      const why = skipped.length > 0 ? `${skipped.join(", ")}, ` : "";
      return { builder, reason: `auto: ${why}using ${describe[candidate]}` };
    }
    skipped.push(absent[candidate]);
  }
  throw new ReshipError(
    "BUILDER_MISSING",
    `no builder available (${skipped.join(", ")}): install docker with the buildx plugin (Debian: docker.io, docker-buildx) or buildah`,
  );
}
