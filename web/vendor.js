// Copies the pinned editor packages out of node_modules into static/vendor, where the Go
// binary embeds them (source maps left out: they would triple the binary's share).
// Runs as npm's postinstall; the packages are copied unmodified, licences included.
const fs = require('fs');
const path = require('path');

const out = path.join(__dirname, 'static', 'vendor');
const pkgs = path.join(__dirname, 'node_modules', '@nyaruka');

function copy(from, to) {
  const st = fs.statSync(from);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(from)) copy(path.join(from, name), path.join(to, name));
    return;
  }
  if (from.endsWith('.map')) return;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

fs.rmSync(out, { recursive: true, force: true });
const fe = path.join(pkgs, 'flow-editor');
for (const dir of ['js', 'css', 'media', 'svg']) {
  copy(path.join(fe, 'build', 'static', dir), path.join(out, 'flow-editor', 'static', dir));
}
copy(path.join(fe, 'LICENSE'), path.join(out, 'flow-editor', 'LICENSE'));
copy(path.join(fe, 'package.json'), path.join(out, 'flow-editor', 'package.json'));
const tc = path.join(pkgs, 'temba-components');
copy(path.join(tc, 'dist'), path.join(out, 'temba-components'));
copy(path.join(tc, 'LICENSE'), path.join(out, 'temba-components', 'LICENSE'));
copy(path.join(tc, 'package.json'), path.join(out, 'temba-components', 'package.json'));
console.log('careflow: editor assets copied to static/vendor');
