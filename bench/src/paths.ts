// Where things are, from this package's folder (bench/src/ or bench/test/ alike).
import { fileURLToPath } from "node:url";

export const benchDir = fileURLToPath(new URL("../", import.meta.url));
export const repoDir = fileURLToPath(new URL("../../", import.meta.url));
export const shopApiDir = fileURLToPath(new URL("../../apps/shop-api/", import.meta.url));
export const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));
/** The shop-api's demo data: the scale-1 data set, so bodies are the contract's. */
export const demoFixture = fileURLToPath(new URL("../../apps/shop-api/fixtures/shop.json", import.meta.url));
