/**
 * The benchmark's deterministic workload, made by the benchmark itself with
 * the test harness (local distribution registries on 127.0.0.1, images of
 * seeded random bytes FROM scratch pushed by skopeo, never by reship):
 *   - team/app:sha-<commit7>: 5 layers × 30 MiB, labelled with the commit;
 *   - team/big:sha-<commit7>: the large image of case 3 (1 GiB by default);
 *   - mono/svc-01..20:sha-<commit7>: the monorepo of case 4 (3 × 2 MiB each);
 *   - a Docker build context FROM scratch COPYing the same 5 files as team/app;
 *   - a dockerd for the docker peers, started by the harness when needed.
 * Each piece is made on first use and stopped at the end, by pid.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pushTestImage } from "../test/support/images.js";
import type { PushedImage } from "../test/support/images.js";
import { startRegistry } from "../test/support/registry.js";
import type { TestRegistry } from "../test/support/registry.js";
import { mustRun, onCleanup } from "./lib/processes.js";
import { blobBytes } from "./lib/registry-ops.js";

export const MIB = 1 << 20;
/** The commit every image was "built" from. */
export const COMMIT = createHash("sha1").update("reship benchmark commit").digest("hex");
export const COMMIT_TAG = `sha-${COMMIT.slice(0, 7)}`;
export const VERSION = "1.2.3";
export const VERSION_TAGS = ["1.2.3", "1.2", "1", "latest"] as const;
const REVISION_LABEL = "org.opencontainers.image.revision";

export const APP_REPO = "team/app";
export const APP_LAYERS = 5;
export const APP_LAYER_SIZE = 30 * MIB;
export const BIG_REPO = "team/big";
export const MONO_COUNT = 20;
export const MONO_LAYERS = 3;
export const MONO_LAYER_SIZE = 2 * MIB;

export interface Image {
  readonly registry: TestRegistry;
  readonly repo: string;
  readonly pushed: PushedImage;
}

export interface Docker {
  /** DOCKER_HOST value. */
  readonly host: string;
  /** Whether the benchmark started this dockerd (then clearing its caches is ours to do). */
  readonly own: boolean;
}

export class Workload {
  readonly #scratch = mkdtempSync(join(tmpdir(), "reship-bench-"));
  readonly #memo = new Map<string, Promise<unknown>>();
  readonly descriptions: string[] = [];

  constructor(
    private readonly log: (line: string) => void,
    private readonly bigImageMiB: number,
  ) {
    const scratch = this.#scratch;
    const remove = (): void => rmSync(scratch, { recursive: true, force: true });
    onCleanup(remove, remove);
  }

  #once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = make();
      this.#memo.set(key, p);
    }
    return p;
  }

  /** A registry that lives until the end of the benchmark (or until `stop` is called). */
  async registry(): Promise<{ registry: TestRegistry; stop: () => Promise<void> }> {
    const registry = await startRegistry({ variant: "anonymous" });
    const dir = registry.dir;
    const stop = onCleanup(
      () => registry.stop(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    return { registry, stop };
  }

  /** The registry most cases use as their source. */
  source(): Promise<TestRegistry> {
    return this.#once("source", async () => (await this.registry()).registry);
  }

  async #push(repo: string, layers: number, layerSize: number, seed: string): Promise<Image> {
    const registry = await this.source();
    const started = performance.now();
    const pushed = await pushTestImage(registry, `${repo}:${COMMIT_TAG}`, {
      layers,
      layerSize,
      seed,
      labels: { [REVISION_LABEL]: COMMIT },
    });
    this.log(
      `  pushed ${repo}:${COMMIT_TAG} (${layers} × ${layerSize / MIB} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return { registry, repo, pushed };
  }

  /** team/app: 5 × 30 MiB random bytes FROM scratch under its commit tag. */
  app(): Promise<Image> {
    return this.#once("app", async () => {
      this.descriptions.push(
        `${APP_REPO}:${COMMIT_TAG}, ${APP_LAYERS} layers × ${APP_LAYER_SIZE / MIB} MiB of random bytes FROM scratch, labelled with its commit`,
      );
      return this.#push(APP_REPO, APP_LAYERS, APP_LAYER_SIZE, "reship-bench-app");
    });
  }

  /** team/big: the large image of case 3, in 64 MiB layers. */
  big(): Promise<Image> {
    return this.#once("big", async () => {
      const layerMiB = 64;
      const layers = Math.max(1, Math.round(this.bigImageMiB / layerMiB));
      this.descriptions.push(`${BIG_REPO}:${COMMIT_TAG}, ${layers} layers × ${layerMiB} MiB`);
      return this.#push(BIG_REPO, layers, layerMiB * MIB, "reship-bench-big");
    });
  }

  /** mono/svc-01..20 and a reship.yaml naming them all. */
  mono(): Promise<{ images: Image[]; configFile: string }> {
    return this.#once("mono", async () => {
      this.descriptions.push(
        `${MONO_COUNT} images mono/svc-NN:${COMMIT_TAG}, ${MONO_LAYERS} layers × ${MONO_LAYER_SIZE / MIB} MiB each`,
      );
      const images: Image[] = [];
      for (let i = 1; i <= MONO_COUNT; i++) {
        const repo = `mono/svc-${String(i).padStart(2, "0")}`;
        images.push(await this.#push(repo, MONO_LAYERS, MONO_LAYER_SIZE, `reship-bench-${repo}`));
      }
      const host = images[0]!.registry.host;
      const configFile = join(this.#scratch, "reship.yaml");
      writeFileSync(
        configFile,
        "# The benchmark's monorepo: every image already built for the commit.\nimages:\n" +
          images.map((img) => `  - name: ${host}/${img.repo}\n`).join(""),
      );
      return { images, configFile };
    });
  }

  /** A dockerd for the docker peers (the harness starts one in its own directories when none runs). */
  docker(): Promise<Docker> {
    return this.#once("docker", async () => {
      // Imported on first use: cases without docker peers run without it.
      const { ensureDockerd } = await import("../test/support/dockerd.js");
      const daemon = await ensureDockerd();
      onCleanup(() => daemon.stop());
      return { host: daemon.host, own: daemon.pid !== undefined };
    });
  }

  /**
   * A build context that rebuilds team/app: FROM scratch, one COPY per layer,
   * each COPYing the file of the same layer (extracted from the pushed blobs).
   */
  dockerContext(): Promise<string> {
    return this.#once("context", async () => {
      const app = await this.app();
      const dir = join(this.#scratch, "context");
      const lines = ["FROM scratch"];
      for (const [i, digest] of app.pushed.layerDigests.entries()) {
        const layerDir = join(dir, `layer${i}`);
        mkdirSync(layerDir, { recursive: true });
        const tarFile = join(this.#scratch, `layer${i}.tar`);
        writeFileSync(tarFile, await blobBytes(app.registry, app.repo, digest));
        await mustRun({ command: "tar", args: ["-xf", tarFile, "-C", layerDir] });
        rmSync(tarFile);
        lines.push(`COPY layer${i}/ /`);
      }
      writeFileSync(join(dir, "Dockerfile"), lines.join("\n") + "\n");
      return dir;
    });
  }
}
