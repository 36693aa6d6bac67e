import { packageProject } from "@x/vitest-config";

export default packageProject("shop-client");
