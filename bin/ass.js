#!/usr/bin/env node
// The `ass` command. The vault's embedded store is Node's built-in node:sqlite, which needs
// Node 22.13 or later; say so plainly instead of failing on an unknown built-in module.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `ass needs Node.js 22.13 or later (Node 24 LTS recommended); this is ${process.version}.\n` +
      'In a checkout, run it through npm (`npm run -s ass -- ...`), which uses the Node 24 the project installs.\n',
  );
  process.exit(2);
}
await import('../dist/cli/index.js');
