#!/usr/bin/env node
import { exitQuietlyOnClosedPipe } from "../build/src/cli/io.js";
import { main } from "../build/src/cli/main.js";

exitQuietlyOnClosedPipe();
process.exitCode = await main(process.argv.slice(2));
