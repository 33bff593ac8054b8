#!/usr/bin/env node
// The `doitong` command: a launcher that is in the repository, so installing a fresh checkout can link the
// command before the package is built; the command itself is the build's dist/cli.js.
import '../dist/cli.js';
