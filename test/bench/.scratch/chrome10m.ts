import { runInChromium } from '../aggregateBrowser';
const proto = process.argv.includes('--proto');
const profile = process.argv.includes('--profile');
const r = await runInChromium({ file: process.argv[2], warm: '/tmp/clv-bench/warm_2000.csv', proto, profile, timeoutMs: 3_000_000 });
console.log(JSON.stringify({ ...r, statements: undefined }, null, 1));
