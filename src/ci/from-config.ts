/**
 * reship.yaml → the CI layer's inputs: the rules, the images (one per name;
 * the Dockerfile made relative to the repository root, as workflows name it)
 * and the commit tag template.
 */
import { imageNames } from "../config/index.js";
import type { ReshipConfig } from "../config/index.js";
import { resolveCiImage, resolveCiRules } from "./types.js";
import type { CiImage, CiRules } from "./types.js";

export function ciRulesFromConfig(config: ReshipConfig | undefined): CiRules {
  return resolveCiRules(config?.ci ?? {});
}

export function ciImagesFromConfig(config: ReshipConfig): CiImage[] {
  return config.images.map((image) => {
    const context = image.context.replace(/^\.\/+/, "").replace(/\/+$/, "") || ".";
    const dockerfile = context === "." ? image.dockerfile : `${context}/${image.dockerfile}`;
    // Several names of one image are one build pushed under each name: the first names it.
    const name = imageNames(image)[0] ?? "";
    return resolveCiImage({
      name,
      context,
      dockerfile,
      platforms: image.platforms ?? [],
      target: image.target,
    });
  });
}
