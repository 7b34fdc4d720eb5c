/** `reship exists`: not built yet. */
import { ReshipError } from "../../errors.js";
import type { CommandContext } from "../context.js";

export function run(_ctx: CommandContext, _args: unknown, _options: unknown): Promise<number> {
  return Promise.reject(new ReshipError("USAGE", "reship exists is not available yet"));
}
