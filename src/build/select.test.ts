import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { ReshipError } from "../errors.js";
import { builderMissing } from "./errors.js";
import { createBuilder } from "./select.js";
import type { Command, ProcessRunner } from "./types.js";

/** A machine: which programs exist and which probes succeed there. */
function machine(state: { buildx?: boolean; daemon?: boolean; buildah?: boolean; docker?: boolean }) {
  const calls: string[] = [];
  const runner: ProcessRunner = {
    run(cmd: Command) {
      calls.push([cmd.command, ...cmd.args].join(" "));
      const docker = state.docker ?? true;
      if (cmd.command === "docker" && !docker) return Promise.reject(builderMissing("docker"));
      if (cmd.command === "buildah" && !state.buildah) return Promise.reject(builderMissing("buildah"));
      const ok =
        cmd.args[0] === "buildx"
          ? !!state.buildx
          : cmd.args[0] === "version" && cmd.command === "docker"
            ? !!state.daemon
            : true;
      return Promise.resolve({ exitCode: ok ? 0 : 1, stdoutTail: [], stderrTail: ok ? [] : ["error"] });
    },
  };
  return { runner, calls };
}

describe("createBuilder auto", () => {
  const cases: {
    name: string;
    state: Parameters<typeof machine>[0];
    platforms?: string[];
    builder: string;
    reason: RegExp;
  }[] = [
    {
      name: "buildx first",
      state: { buildx: true, daemon: true, buildah: true },
      builder: "buildx",
      reason: /^auto: using docker buildx$/,
    },
    {
      name: "no buildx: docker with BuildKit",
      state: { daemon: true, buildah: true },
      builder: "docker",
      reason: /^auto: docker buildx not found, using docker with BuildKit$/,
    },
    {
      name: "no daemon: buildah",
      state: { buildah: true },
      builder: "buildah",
      reason: /docker buildx not found, no docker daemon answers, using buildah/,
    },
    {
      name: "no docker at all: buildah",
      state: { docker: false, buildah: true },
      builder: "buildah",
      reason: /using buildah/,
    },
    {
      name: "multi-platform skips docker",
      state: { daemon: true, buildah: true },
      platforms: ["linux/amd64", "linux/arm64"],
      builder: "buildah",
      reason: /docker builds one platform only, using buildah/,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { runner } = machine(c.state);
      const { builder, reason } = await createBuilder("auto", { runner, platforms: c.platforms });
      assert.equal(builder.name, c.builder);
      assert.match(reason, c.reason);
    });
  }

  test("nothing available: BUILDER_MISSING naming what to install", async () => {
    const { runner } = machine({ docker: false });
    await assert.rejects(createBuilder("auto", { runner }), (err: unknown) => {
      assert.ok(err instanceof ReshipError);
      assert.equal(err.code, "BUILDER_MISSING");
      assert.match(err.message, /buildah/);
      assert.match(err.message, /buildx/);
      return true;
    });
  });

  test("a named builder is returned without probing", async () => {
    const { runner, calls } = machine({});
    const { builder, reason } = await createBuilder("buildah", { runner });
    assert.equal(builder.name, "buildah");
    assert.match(reason, /as configured/);
    assert.deepEqual(calls, []);
  });

  test("probes use the configured docker path", async () => {
    const { runner, calls } = machine({ buildx: true });
    await createBuilder("auto", { runner, dockerCommand: "docker" });
    assert.deepEqual(calls, ["docker buildx version"]);
  });
});
