// Opens an HTML page in headless Chromium and judges how it renders, over the DevTools
// protocol on a pipe (--remote-debugging-pipe: no port, no WebSocket library, no download):
//   - no console error, uncaught exception or failed load is reported while it loads;
//   - every <img> has loaded (complete, naturalWidth > 0);
//   - a screenshot of the page is not blank (PNG decoded here with zlib).
// usage: node browser_check.js CHROMIUM PAGE.html SCREENSHOT.png
// Prints one line per finding and exits 1 on any, 0 when the page passes, 2 on bad usage.
'use strict';
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const [chromium, page, screenshotPath] = process.argv.slice(2);
if (!chromium || !page || !screenshotPath) {
  console.error('usage: node browser_check.js CHROMIUM PAGE.html SCREENSHOT.png');
  process.exit(2);
}
if (!fs.existsSync(page)) {
  console.error(`browser check: no page at ${page}`);
  process.exit(2);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shmlab-chromium-'));
const browser = childProcess.spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  `--user-data-dir=${profile}`, '--remote-debugging-pipe', '--window-size=1280,2000',
], {
  stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  detached: true,
  // Chromium puts its singleton socket in a folder of its own under TMPDIR, which a killed
  // browser leaves behind: inside the profile, it goes when the profile does.
  env: {...process.env, TMPDIR: profile},
});
let browserLog = '';
browser.stderr.on('data', (d) => { browserLog += d; });

const findings = [];
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffered = '';

// Messages on the pipe are JSON texts ended by a NUL byte.
browser.stdio[4].on('data', (chunk) => {
  buffered += chunk.toString('utf8');
  let end;
  while ((end = buffered.indexOf('\0')) >= 0) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (message.id !== undefined && pending.has(message.id)) {
      const {resolve, reject} = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(`${message.error.message}`));
      else resolve(message.result);
    } else if (message.method) {
      for (const listen of listeners) listen(message);
    }
  }
});

function send(method, params = {}, sessionId = undefined) {
  const id = nextId++;
  const message = {id, method, params};
  if (sessionId) message.sessionId = sessionId;
  browser.stdio[3].write(JSON.stringify(message) + '\0');
  return new Promise((resolve, reject) => pending.set(id, {resolve, reject}));
}

function waitFor(method, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
    listeners.push((m) => {
      if (m.method === method) {
        clearTimeout(timer);
        resolve(m.params);
      }
    });
  });
}

// The fraction of pixels that differ from the top-left one, from an 8-bit RGB(A) PNG.
function nonBackgroundFraction(png) {
  const signature = '89504e470d0a1a0a';
  if (png.subarray(0, 8).toString('hex') !== signature) throw new Error('screenshot is not a PNG');
  let offset = 8, width = 0, height = 0, channels = 0;
  const idat = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      channels = {2: 3, 6: 4}[colour];
      if (depth !== 8 || !channels || interlace !== 0) throw new Error('unexpected PNG format');
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 0xff;
    }
  }
  let differ = 0;
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) {
      if (pixels[i * channels + k] !== pixels[k]) {
        differ++;
        break;
      }
    }
  }
  return {fraction: differ / (width * height), width, height};
}

async function check() {
  const {targetId} = await send('Target.createTarget', {url: 'about:blank'});
  const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true});
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    const p = m.params;
    if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) {
      findings.push(`console ${p.type}: ${p.args.map((a) => a.value ?? a.description).join(' ')}`);
    } else if (m.method === 'Runtime.exceptionThrown') {
      findings.push(`uncaught exception: ${p.exceptionDetails.text}`);
    } else if (m.method === 'Log.entryAdded' && p.entry.level === 'error') {
      findings.push(`console error: ${p.entry.text}${p.entry.url ? ` (${p.entry.url})` : ''}`);
    }
  });
  await send('Runtime.enable', {}, sessionId);
  await send('Log.enable', {}, sessionId);
  await send('Page.enable', {}, sessionId);
  const loaded = waitFor('Page.loadEventFired', 30000);
  const url = 'file://' + path.resolve(page);
  const nav = await send('Page.navigate', {url}, sessionId);
  if (nav.errorText) findings.push(`navigation to ${url} failed: ${nav.errorText}`);
  await loaded;
  const {result} = await send('Runtime.evaluate', {
    expression: 'JSON.stringify([...document.images].map(i => ({src: i.src.slice(0, 80), ' +
        'complete: i.complete, width: i.naturalWidth})))',
    returnByValue: true,
  }, sessionId);
  const images = JSON.parse(result.value);
  if (images.length === 0) findings.push('the page has no image');
  const broken = images.filter((img) => !img.complete || img.width === 0);
  for (const img of broken) findings.push(`image did not load: ${img.src}`);
  const shot = await send('Page.captureScreenshot', {format: 'png', captureBeyondViewport: true},
                          sessionId);
  const png = Buffer.from(shot.data, 'base64');
  fs.writeFileSync(screenshotPath, png);
  const {fraction, width, height} = nonBackgroundFraction(png);
  // Text and charts cover a few percent of a page at least; a blank page covers none.
  if (fraction < 0.005) {
    findings.push(`the screenshot (${width}x${height}) is blank: ${(fraction * 100).toFixed(3)}% ` +
                  'of its pixels differ from the background');
  }
  console.log(`browser check: ${images.length - broken.length} of ${images.length} images loaded, ` +
              `${(fraction * 100).toFixed(1)}% of a ${width}x${height} screenshot drawn`);
}

const deadline = setTimeout(() => {
  findings.push('the check did not finish within 60 s');
  finish();
}, 60000);

function finish() {
  clearTimeout(deadline);
  // Chromium's processes (and Debian's wrapper script) share the group made for it.
  try {
    process.kill(-browser.pid, 'SIGKILL');
  } catch (e) {
    // already gone
  }
  fs.rmSync(profile, {recursive: true, force: true});
  for (const f of findings) console.log(`FAIL: ${f}`);
  process.exit(findings.length > 0 ? 1 : 0);
}

browser.on('exit', (code, signal) => {
  if (pending.size > 0) {
    findings.push(`chromium exited (${signal || code}) mid-check: ${browserLog.trim().split('\n').pop()}`);
    finish();
  }
});

check().then(finish, (e) => {
  findings.push(`check failed: ${e.message}`);
  finish();
});
