// Lint rules: typescript-eslint's type-aware recommended set, plus the layer
// direction of DESIGN.md (cli -> release / ci -> build, registry -> oci).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const layer = (name, forbidden) => ({
  files: [`src/${name}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: forbidden.map((other) => ({
          group: [`**/${other}/*`, `**/${other}`, `../${other}/**`],
          message: `src/${name} must not import src/${other}: imports only go down the layers (DESIGN.md).`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ["dist/**", "action/dist/**", "node_modules/**", ".tmp/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // node:test's describe/test return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "test", "it", "suite"] },
          ],
        },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
  },
  layer("oci", ["registry", "build", "release", "ci", "config", "cli"]),
  layer("registry", ["build", "release", "ci", "config", "cli"]),
  layer("build", ["registry", "release", "ci", "config", "cli"]),
  layer("config", ["registry", "build", "release", "ci", "cli"]),
  layer("ci", ["registry", "build", "release", "cli"]),
  layer("release", ["ci", "cli"]),
);
