export const packageName = "@x/views";
