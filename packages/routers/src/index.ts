export const packageName = "@x/routers";
