/**
 * `reship exists REF`: exit 0 found, 1 not found, 3 could not tell. Anything
 * that is not the registry saying "no such manifest" (auth denied, network,
 * other registry errors) is "could not tell", with the reason on stderr: an
 * auth failure is never reported as "not found".
 */
import { formatReference, parseReference } from "../../oci/index.js";
import type { CommandContext } from "../context.js";
import { EXIT_FAILED, EXIT_OK, EXIT_UNKNOWN } from "../exit-codes.js";
import { printJson, printLines } from "../output.js";
import { registryClientFor } from "../registry-client.js";

export async function run(ctx: CommandContext, [input]: [string], _options: unknown): Promise<number> {
  const ref = parseReference(input);
  const name = formatReference(ref);
  let found;
  try {
    found = await registryClientFor(ctx).headManifest(ref);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`reship: could not tell whether ${name} exists: ${reason}\n`);
    if (ctx.globals.json) printJson(ctx, { ref: name, exists: null, error: reason });
    return EXIT_UNKNOWN;
  }
  if (ctx.globals.json) {
    printJson(
      ctx,
      found
        ? { ref: name, exists: true, digest: found.digest, mediaType: found.mediaType }
        : { ref: name, exists: false },
    );
  } else {
    printLines(ctx, [found ? `${name} exists: ${found.digest}` : `${name} not found`]);
  }
  return found ? EXIT_OK : EXIT_FAILED;
}
