/**
 * Rewrites schema/reship.schema.json from the zod schema:
 * `npx tsx src/config/write-schema.ts`. Not part of the library.
 */
import { writeFileSync } from "node:fs";
import { configJsonSchemaText } from "./json-schema.js";

const target = new URL("../../schema/reship.schema.json", import.meta.url);
writeFileSync(target, configJsonSchemaText());
process.stdout.write(`wrote ${target.pathname}\n`);
