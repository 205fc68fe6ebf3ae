// Swagger UI in a real browser (Debian's chromium, headless, driven by playwright-core): the page
// lists every operation of the contract, takes a bearer token through "Authorize", runs
// GET /api/v1/procedures through "Try it out" → "Execute" with a 200 and a page of procedures,
// uploads a scan to a dossier through the multipart form with a 201, and imports a catalogue file
// through the form of POST /api/v1/procedures/import with a 200.
//
//   MOTCUA_URL=http://127.0.0.1:8080 node --test clients/browser/
//
// MOTCUA_URL      a running server with the demo data (default http://127.0.0.1:8080)
// MOTCUA_USER     whose token to paste (default admin; password MOTCUA_PASSWORD, the demo one)
// CHROMIUM        the browser (default /usr/bin/chromium)
// SCREENSHOTS     where the screenshots go (default target/clients/screenshots)
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const base = (process.env.MOTCUA_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const username = process.env.MOTCUA_USER ?? 'admin';
const password = process.env.MOTCUA_PASSWORD ?? 'motcua-demo-2024';
const shots = process.env.SCREENSHOTS ?? 'target/clients/screenshots';
const contract = JSON.parse(
  readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'),
);

let browser;
let page;
const pageErrors = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // As root chromium's sandbox cannot start; the rest keeps it off a network it cannot reach.
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.setDefaultTimeout(20_000);
});

after(async () => {
  await browser?.close();
});

async function token() {
  const response = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 200, `signing in as ${username}`);
  return (await response.json()).access_token;
}

test('Swagger UI lists the contract, authorizes and runs GET /api/v1/procedures', async () => {
  const operations = Object.values(contract.paths).flatMap((item) => Object.keys(item));
  const tags = contract.tags.map((tag) => tag.name);

  await page.goto(`${base}/swagger-ui/`);
  await page.locator('.information-container .title').waitFor();
  assert.match(await page.locator('.information-container .title').innerText(), /motcua/);
  // Every tag and every operation of the committed document is on the page (the default
  // docExpansion "list" shows them all).
  await page.locator('.opblock').first().waitFor();
  assert.deepEqual(
    await page.locator('.opblock-tag').evaluateAll((els) => els.map((e) => e.dataset.tag)),
    tags,
  );
  assert.equal(await page.locator('.opblock').count(), operations.length);

  // Authorize: paste the bearer token.
  await page.locator('.auth-wrapper button.authorize').click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  await dialog.locator('input[type=text]').fill(await token());
  await dialog.locator('.auth-btn-wrapper button.authorize').click();
  // Once authorized the dialog offers "Logout" instead.
  await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor();
  await dialog.locator('button.btn-done').click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.auth-wrapper button.authorize.locked').count(), 1);
  await page.screenshot({ path: join(shots, 'swagger-ui-top.png') });

  // GET /api/v1/procedures: expand, Try it out, Execute.
  const op = page.locator('#operations-procedures-procedures_list');
  await op.locator('.opblock-summary').click();
  await op.locator('button.try-out__btn').click();
  await op.locator('button.execute').click();
  const live = op.locator('.live-responses-table');
  await live.locator('tr.response .response-col_status').first().waitFor();
  assert.equal((await live.locator('tr.response .response-col_status').first().innerText()).trim(), '200');
  const body = JSON.parse(await live.locator('tr.response .response-col_description pre.microlight').first().innerText());
  assert.ok(Array.isArray(body.items) && body.items.length > 0, 'the page has procedures');
  assert.ok(body.items.every((p) => typeof p.code === 'string' && typeof p.name === 'string'));
  // The request Swagger UI showed carries the token.
  assert.match(await op.locator('.curl-command').innerText(), /Authorization: Bearer ey/);

  await op.scrollIntoViewIfNeeded();
  await op.screenshot({ path: join(shots, 'swagger-ui-procedures.png') });
  assert.deepEqual(pageErrors, [], 'no script errors on the page');
});

test('Swagger UI uploads a file through the multipart form of POST /api/v1/dossiers/{id}/files', async () => {
  const bearer = await token();
  const open = await fetch(`${base}/api/v1/dossiers?status=processing&limit=1`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  const dossier = (await open.json()).items[0];
  assert.ok(dossier && dossier.components.length > 0, 'an open dossier with components');

  // The authorization given in the first test persists on the page.
  const op = page.locator('#operations-dossiers-dossiers_upload_file');
  await op.locator('.opblock-summary').click();
  await op.locator('button.try-out__btn').click();
  await op.locator('tr[data-param-name="id"] input').fill(dossier.id);
  const scan = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(`scan of ${dossier.id} ${Date.now()}`)]);
  await op.locator('input[type=file]').setInputFiles({ name: 'Tờ khai.pdf', mimeType: 'application/pdf', buffer: scan });
  await op.locator('tr[data-property-name="kind"] select').selectOption('component');
  await op.locator('tr[data-property-name="component"] input[type=text]').fill('0');
  await op.locator('button.execute').click();
  const live = op.locator('.live-responses-table');
  await live.locator('tr.response .response-col_status').first().waitFor();
  assert.equal((await live.locator('tr.response .response-col_status').first().innerText()).trim(), '201');
  const body = JSON.parse(await live.locator('tr.response .response-col_description pre.microlight').first().innerText());
  assert.equal(body.file_name, 'Tờ khai.pdf');
  assert.equal(body.content_type, 'application/pdf');
  assert.equal(body.size, scan.length);

  await op.scrollIntoViewIfNeeded();
  await op.screenshot({ path: join(shots, 'swagger-ui-upload.png') });
  assert.deepEqual(pageErrors, [], 'no script errors on the page');
});

test('Swagger UI imports a catalogue file through the multipart form of POST /api/v1/procedures/import', async () => {
  // The administrator's token given in the first test persists on the page.
  const op = page.locator('#operations-procedures-procedures_import');
  await op.locator('.opblock-summary').click();
  await op.locator('button.try-out__btn').click();
  const code = `9.${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const csv = `code,name,field,level,online_service,processing_value,processing_unit,fee\n${code},Thủ tục nhập qua Swagger UI,Hộ tịch,commune,none,3,working_days,0\n`;
  await op.locator('input[type=file]').setInputFiles({ name: 'danh-muc.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await op.locator('button.execute').click();
  const live = op.locator('.live-responses-table');
  await live.locator('tr.response .response-col_status').first().waitFor();
  assert.equal((await live.locator('tr.response .response-col_status').first().innerText()).trim(), '200');
  const body = JSON.parse(await live.locator('tr.response .response-col_description pre.microlight').first().innerText());
  assert.deepEqual(body, { created: 1, updated: 0 });

  await op.scrollIntoViewIfNeeded();
  await op.screenshot({ path: join(shots, 'swagger-ui-import.png') });
  assert.deepEqual(pageErrors, [], 'no script errors on the page');
});
