export const packageName = "@x/serializers";
