/**
 * `reship copy SRC DST`: copies an image or an index (every platform and
 * attestation) to another repository or registry, keeping its digest.
 */
import { ReshipError } from "../../errors.js";
import { formatReference, parseReference } from "../../oci/index.js";
import { copyImage } from "../../registry/index.js";
import type { CommandContext } from "../context.js";
import { EXIT_OK } from "../exit-codes.js";
import { printJson, printLines, writeGithubOutputs } from "../output.js";
import { registryClientFor } from "../registry-client.js";
import { formatSize } from "./inspect.js";

export async function run(
  ctx: CommandContext,
  [srcInput, dstInput]: [string, string],
  options: { concurrency?: string },
): Promise<number> {
  const src = parseReference(srcInput);
  const dst = parseReference(dstInput);
  const concurrency = Number(options.concurrency ?? "4");
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new ReshipError(
      "USAGE",
      `--concurrency must be a whole number from 1 to 64, not "${options.concurrency}"`,
    );
  }
  const result = await copyImage(registryClientFor(ctx), src, dst, { concurrency });
  const destination = formatReference(result.destination);
  writeGithubOutputs(ctx, { digest: result.digest, ref: destination });
  if (ctx.globals.json) {
    printJson(ctx, {
      source: formatReference(src),
      destination,
      digest: result.digest,
      mediaType: result.mediaType,
      unchanged: result.unchanged,
      manifests: result.manifests,
      blobs: result.blobs,
    });
  } else if (result.unchanged) {
    printLines(ctx, [`${destination} already is ${result.digest}: nothing to copy`]);
  } else {
    const { mounted, uploaded, skipped, bytesUploaded } = result.blobs;
    printLines(ctx, [
      `copied ${formatReference(src)} to ${destination}: ${result.digest}`,
      `  ${result.manifests} manifest(s); blobs: ${mounted} mounted, ${uploaded} uploaded (${formatSize(bytesUploaded)}), ${skipped} already there`,
    ]);
  }
  return EXIT_OK;
}
