/**
 * The JSON Schema of reship.yaml for editors (yaml-language-server and
 * friends), generated from the zod schema so the two never disagree. The
 * shipped copy is schema/reship.schema.json; `npx tsx src/config/write-schema.ts`
 * rewrites it, and a unit test fails when it is stale.
 */
import { z } from "zod";
import { configSchema } from "./schema.js";

export const SCHEMA_ID = "https://raw.githubusercontent.com/reship/reship/main/schema/reship.schema.json";

/** The JSON Schema (draft 2020-12) of reship.yaml as a user writes it (defaults optional). */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" });
  return { ...generated, $id: SCHEMA_ID, title: "reship.yaml" };
}

/** The schema file's text: 2-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
