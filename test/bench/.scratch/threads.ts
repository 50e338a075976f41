import { chromium } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage();
await p.goto('data:text/html,<script>const w = new Worker(URL.createObjectURL(new Blob(["let x=0; for(;;){x++}"], {type:"text/javascript"})));</script>');
await new Promise((r) => setTimeout(r, 1500));
for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmd.includes('--type=renderer')) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      console.log(pid, tid, comm, Number(f[11]) + Number(f[12]));
    }
  } catch {}
}
await b.close();
