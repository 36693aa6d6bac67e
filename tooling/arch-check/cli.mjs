#!/usr/bin/env node
import { checkArchitecture } from "./check.mjs";

const violations = checkArchitecture(process.argv[2] ?? process.cwd());
for (const v of violations) console.error(`✗ ${v}`);
if (violations.length) process.exit(1);
console.log("architecture: ok");
