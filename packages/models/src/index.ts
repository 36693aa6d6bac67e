export const packageName = "@x/models";
