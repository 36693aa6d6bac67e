export const packageName = "@x/views";
export * from "./cache/index.js";
