/**
 * `reship inspect REF [--raw]`: digest, media type, platforms, revision
 * label, created time and compressed size; `--raw` prints the manifest's
 * exact bytes instead.
 */
import { formatReference, parseReference } from "../../oci/index.js";
import { inspectImage } from "../../registry/index.js";
import { formatBytes } from "../../units.js";
import type { CommandContext } from "../context.js";
import { EXIT_OK } from "../exit-codes.js";
import { printJson, printLines } from "../output.js";
import { registryClientFor } from "../registry-client.js";

/** A size for people, with the exact count beside it: `52.4 MiB (54945587 bytes)`. */
export function formatSize(bytes: number): string {
  const short = formatBytes(bytes);
  return short.endsWith(" B") ? short : `${short} (${bytes} bytes)`;
}

export async function run(
  ctx: CommandContext,
  [input]: [string],
  options: { raw?: boolean },
): Promise<number> {
  const ref = parseReference(input);
  const client = registryClientFor(ctx);
  if (options.raw) {
    const fetched = await client.getManifest(ref);
    ctx.stdout.write(fetched.bytes);
    return EXIT_OK;
  }
  const image = await inspectImage(client, ref);
  const name = formatReference(ref);
  if (ctx.globals.json) {
    printJson(ctx, {
      ref: name,
      digest: image.digest,
      mediaType: image.mediaType,
      index: image.index,
      platforms: image.platforms.map((p) => ({
        platform: p.platform,
        digest: p.digest,
        mediaType: p.mediaType,
        size: p.size,
        revision: p.revision ?? null,
        created: p.created ?? null,
      })),
      attestations: image.attestations,
      revision: image.revision ?? null,
      created: image.created ?? null,
      size: image.size,
    });
    return EXIT_OK;
  }
  const lines = [
    `reference   ${name}`,
    `digest      ${image.digest}`,
    `media type  ${image.mediaType}`,
    `platforms   ${image.platforms.map((p) => p.platform).join(", ")}${image.attestations ? ` (+${image.attestations} attestation manifests)` : ""}`,
    `revision    ${image.revision ?? (new Set(image.platforms.map((p) => p.revision)).size > 1 ? "(differs per platform)" : "(no label)")}`,
    `created     ${image.created ?? "(unknown)"}`,
    `size        ${formatSize(image.size)}`,
  ];
  if (image.index) {
    for (const p of image.platforms)
      lines.push(`  ${p.platform.padEnd(16)} ${p.digest}  ${formatSize(p.size)}`);
  }
  printLines(ctx, lines);
  return EXIT_OK;
}
