export const packageName = "@x/filters";
