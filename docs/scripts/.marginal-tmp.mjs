// Marginal min+gzip of each input file of the app row: gzip(all) - gzip(all without that file's code).
import { build, transform } from 'esbuild';
import { gzipSync } from 'node:zlib';
const root = '/work/wt/size/docs';
const entry = process.argv[2] ?? "export { createPeer, createInMemorySignalingPair, peerView } from '@peerstatejs/core';";
const r = await build({ stdin: { contents: entry, resolveDir: root, loader: 'js' }, bundle: true, minifySyntax: true, minifyIdentifiers: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"' } });
const text = r.outputFiles[0].text;
const parts = text.split(/^(?=\/\/ [^\n]*\.m?js\n)/m);
const gz = async (code) => gzipSync((await transform(code, { minifyWhitespace: true, loader: 'js' })).code, { level: 9 }).length;
const all = await gz(text);
console.log('all', all);
const rows = [];
for (let i = 0; i < parts.length; i++) {
  const name = parts[i].split('\n')[0];
  const rest = parts.filter((_, j) => j !== i).join('');
  try { rows.push([all - (await gz(rest)), name]); } catch (e) { rows.push([NaN, name]); }
}
rows.sort((a, b) => b[0] - a[0]);
for (const [d, n] of rows) console.log(String(d).padStart(6), n.replace('// ../packages/core/dist/', '').replace('// ../node_modules/.pnpm/', ''));
