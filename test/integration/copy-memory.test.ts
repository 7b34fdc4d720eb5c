/**
 * Bounded memory: `reship copy` of a 1 GiB image (4 layers of 256 MiB) from
 * one registry to another runs as its own process under `/usr/bin/time -v`,
 * whose peak resident set size must stay under 200 MiB. The layers are
 * generated and pushed by streaming (the harness writes them to disk and
 * skopeo pushes them), never held in memory. Slow: RESHIP_SKIP_SLOW=1 skips it.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pushTestImage } from "../../test/support/images.js";
import type { PushedImage } from "../../test/support/images.js";
import { isRunning, stopProcess } from "../../test/support/processes.js";
import { startRegistry } from "../../test/support/registry.js";
import type { TestRegistry } from "../../test/support/registry.js";
import { skopeoInspectRaw } from "../../test/support/skopeo.js";

const root = new URL("../..", import.meta.url).pathname;
const MiB = 1024 * 1024;
const LIMIT_MIB = 200;
const skip = process.env.RESHIP_SKIP_SLOW === "1" ? "RESHIP_SKIP_SLOW=1" : false;

/** `Maximum resident set size (kbytes): N` from GNU time's -v report, in bytes. */
function peakRssBytes(report: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  if (!match?.[1]) throw new Error(`no peak RSS in /usr/bin/time output:\n${report}`);
  return Number(match[1]) * 1024;
}

describe("cross-registry copy of a 1 GiB image", { skip }, () => {
  let a: TestRegistry;
  let b: TestRegistry;
  let image: PushedImage;
  let childPid: number | undefined;

  before(async () => {
    [a, b] = await Promise.all([startRegistry(), startRegistry()]);
    image = await pushTestImage(a, "big/app:v1", { layers: 4, layerSize: 256 * MiB, seed: "one-gibibyte" });
  });
  after(async () => {
    if (childPid !== undefined && isRunning(childPid)) await stopProcess(childPid);
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test(`peak RSS stays under ${LIMIT_MIB} MiB`, async () => {
    assert.ok(image.totalLayerBytes >= 1024 * MiB, `image is only ${image.totalLayerBytes} bytes`);
    const child = spawn(
      "/usr/bin/time",
      [
        "-v",
        process.execPath,
        "--import",
        "tsx",
        join(root, "src/cli/bin.ts"),
        "copy",
        image.ref,
        `${b.host}/big/app:v1`,
        "--json",
      ],
      {
        cwd: root,
        env: { ...process.env, DOCKER_CONFIG: join(root, ".tmp-no-docker-config") },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    childPid = child.pid;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(status, 0, stderr);
    const result = JSON.parse(stdout) as {
      digest: string;
      blobs: { uploaded: number; bytesUploaded: number };
    };
    assert.equal(result.digest, image.digest);
    assert.ok(result.blobs.bytesUploaded >= 1024 * MiB);
    assert.equal(await b.uploadedBlobBytes(), result.blobs.bytesUploaded);
    assert.equal((await skopeoInspectRaw(b, "big/app:v1")).digest, image.digest);
    const peak = peakRssBytes(stderr);
    assert.ok(peak < LIMIT_MIB * MiB, `peak RSS ${(peak / MiB).toFixed(1)} MiB`);
    process.stdout.write(
      `# copy of ${(result.blobs.bytesUploaded / MiB).toFixed(0)} MiB: peak RSS ${(peak / MiB).toFixed(1)} MiB\n`,
    );
  });
});
