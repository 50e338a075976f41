import { runInChromium } from '../aggregateBrowser';
const r = await runInChromium({ file: '/tmp/clv-bench/synthetic_1000000_s20240917_v1.csv', warm: '/tmp/clv-bench/warm.csv', profile: process.argv.includes('--profile') });
console.log(JSON.stringify({ ...r, statements: undefined }, null, 1));
