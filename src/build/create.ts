/**
 * The entry point to the back ends, loading them on first call: a command
 * that builds nothing (a re-tag) never loads select.ts and the builders,
 * although it imports this layer's index for the process runner.
 */
import type { BuilderOptions } from "./context.js";
import type { Builder, BuilderName } from "./types.js";

/** A back end by name, or `auto`'s first available one, and why (select.ts). */
export async function createBuilder(
  name: BuilderName | "auto",
  options: BuilderOptions = {},
): Promise<{ builder: Builder; reason: string }> {
  const select = await import("./select.js");
  return select.createBuilder(name, options);
}
