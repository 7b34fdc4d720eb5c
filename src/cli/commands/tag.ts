/**
 * `reship tag SRC TAG...`: puts SRC's manifest under each TAG of SRC's
 * repository, concurrently, moving no layer. A TAG is a bare tag or a full
 * reference in the same repository. Every TAG is checked before anything is
 * written: one bad TAG and nothing is written (exit 2).
 */
import { ReshipError } from "../../errors.js";
import {
  type Reference,
  formatReference,
  formatRepository,
  parseReference,
  sameRepository,
  withTag,
} from "../../oci/index.js";
import { tagImage } from "../../registry/index.js";
import type { CommandContext } from "../context.js";
import { EXIT_OK } from "../exit-codes.js";
import { printJson, printLines, writeGithubOutputs } from "../output.js";
import { registryClientFor } from "../registry-client.js";

/** The tag a TAG argument names in `src`'s repository; throws USAGE / INVALID_REFERENCE. */
export function tagArgument(src: Reference, arg: string): string {
  // Without '/', ':' or '@' it can only be a tag (the tag grammar decides).
  if (!/[/:@]/.test(arg)) return withTag(src.repository, arg).tag ?? arg;
  const ref = parseReference(arg);
  if (!sameRepository(ref.repository, src.repository)) {
    throw new ReshipError(
      "USAGE",
      `"${arg}" is in ${formatRepository(ref.repository)}, not ${formatRepository(src.repository)}: reship tag only tags within the source's repository (use reship copy)`,
    );
  }
  if (ref.digest !== undefined || ref.tag === undefined) {
    throw new ReshipError("USAGE", `"${arg}" must name a tag, not a digest`);
  }
  return ref.tag;
}

export async function run(
  ctx: CommandContext,
  [input, tagArgs]: [string, string[]],
  _options: unknown,
): Promise<number> {
  const src = parseReference(input);
  const tags = [...new Set(tagArgs.map((arg) => tagArgument(src, arg)))];
  const results = await tagImage(registryClientFor(ctx), src, tags);
  const digest = results[0]?.digest ?? "";
  writeGithubOutputs(ctx, { digest, tags: results.map((r) => formatReference(r.reference)).join("\n") });
  if (ctx.globals.json) {
    printJson(ctx, {
      source: formatReference(src),
      digest,
      tags: results.map((r) => ({
        tag: r.tag,
        ref: formatReference(r.reference),
        action: r.action,
        ...(r.previous ? { previous: r.previous } : {}),
      })),
    });
  } else {
    printLines(
      ctx,
      results.map((r) => {
        const what = r.action === "moved" ? `moved from ${r.previous}` : r.action;
        return `${formatReference(r.reference)} -> ${r.digest} (${what})`;
      }),
    );
  }
  return EXIT_OK;
}
