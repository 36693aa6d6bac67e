export const appName = "shop-api";
