export const packageName = "@x/auth";
