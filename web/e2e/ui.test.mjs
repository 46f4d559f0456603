// End-to-end tests of the web UI: start `klusterkarta demo` on a free
// loopback port, drive Debian's Chromium through playwright-core, click
// through search → cluster → partners → network, check what is shown and
// save a screenshot of every step under out/.
//
//   cd web/e2e && npm ci && npm test
//
// CHROMIUM overrides the browser (default /usr/bin/chromium); KLUSTERKARTA_BIN
// a prebuilt binary (default: built here with go build).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const out = path.join(here, "out");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browserArgs = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

let server;       // the demo process
let base;         // its base URL
let context;      // the browser context with scripts
let profile;      // its fresh user data directory
const consoleErrors = [];

// startDemo runs the demo and resolves with the URL it serves on.
function startDemo(bin) {
  return new Promise((resolve, reject) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "klusterkarta-e2e-data-"));
    server = spawn(bin, ["demo", "--addr", "127.0.0.1:0", "--data", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    server.dataDir = dataDir;
    let seen = "";
    const timer = setTimeout(() => reject(new Error("demo did not start in 120 s:\n" + seen)), 120_000);
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = /serving on (http:\/\/[0-9.:]+)\//.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.stderr.on("data", (chunk) => { seen += chunk; });
    server.on("exit", (code) => { clearTimeout(timer); reject(new Error(`demo exited with ${code}:\n${seen}`)); });
  });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(out, name + ".png"), fullPage: true });
}

async function newPage() {
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

before(async () => {
  mkdirSync(out, { recursive: true });
  let bin = process.env.KLUSTERKARTA_BIN;
  if (!bin) {
    bin = path.join(out, "klusterkarta");
    execFileSync("go", ["build", "-o", bin, "./cmd/klusterkarta"], { cwd: repo, stdio: "inherit" });
  }
  assert.ok(existsSync(executablePath), `no browser at ${executablePath}`);
  base = await startDemo(bin);
  profile = mkdtempSync(path.join(tmpdir(), "klusterkarta-e2e-profile-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: browserArgs, viewport: { width: 1280, height: 900 }, locale: "sv-SE",
  });
});

after(async () => {
  if (context) await context.close();
  if (server) {
    server.removeAllListeners("exit");
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("search → cluster → partners → network", async () => {
  const page = await newPage();

  // Search.
  await page.goto(base + "/");
  await page.getByLabel("Sökord").fill("självförsörjning");
  await page.getByRole("button", { name: "Sök", exact: true }).click();
  await page.waitForURL(/q=/);
  const total = await page.locator("p.total").textContent();
  assert.match(total, /^\d+ träffar?$/);
  assert.ok(parseInt(total, 10) > 0, `no hits: ${total}`);
  assert.equal(await page.locator('link[rel="alternate"][type="application/atom+xml"]').count(), 1, "search page offers no feed");
  await shot(page, "01-search");

  // A cluster named by a hit.
  const clusterLink = page.locator(".hit .clusters a").first();
  const clusterName = (await clusterLink.textContent()).trim();
  await clusterLink.click();
  await page.waitForURL(/\/clusters\//);
  assert.equal((await page.locator("h1").textContent()).trim(), clusterName);
  assert.ok(await page.locator("ol.ranked > li").count() > 0, "cluster shows no topics");
  await shot(page, "02-cluster");

  // Its partners on the topic.
  await page.locator("aside.actions").getByRole("link", { name: "Hitta partner" }).click();
  await page.waitForURL(/\/partners\?cluster=/);
  assert.equal(await page.locator("#cluster option:checked").textContent(), clusterName);
  await page.locator("#topic").selectOption("self-sufficiency");
  await page.getByRole("button", { name: "Sök partner" }).click();
  await page.waitForURL(/topic=self-sufficiency/);
  const heading = await page.locator("#partners-h").textContent();
  assert.match(heading, /Självförsörjning/);
  assert.match(heading, new RegExp(clusterName));
  const partners = page.locator("li.partner");
  assert.ok(await partners.count() > 0, "no partners suggested");
  const first = await partners.first().locator(".explanation").textContent();
  assert.match(first, /arbetar med självförsörjning enligt/);
  assert.match(first, /samarbetar (redan|ännu inte) med/);
  assert.equal(await partners.first().locator(".badge").count(), 1, "partner is not marked as collaborating or not");
  assert.ok(await partners.first().locator(".evidence a").count() > 0, "partner has no evidence links");
  assert.ok(await page.locator("text=" + clusterName).count() > 0);
  await shot(page, "03-partners");

  // The network, drawn by the script.
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Nätverk" }).click();
  await page.waitForURL(/\/network$/);
  await page.waitForSelector('#graph[data-ready="true"]', { timeout: 30_000 });
  const nodes = Number(await page.getAttribute("#graph", "data-nodes"));
  const rows = await page.locator("table.nodes tbody tr").count();
  assert.ok(nodes > 0, "graph has no nodes");
  assert.equal(nodes, rows, "graph and table disagree on the nodes");
  assert.ok(await page.locator("#graph canvas").count() > 0, "no canvas drawn");
  await page.locator("#node-search").fill(clusterName);
  await page.locator("#node-search").press("Enter");
  await page.waitForSelector("#graph[data-focus]");
  assert.match(await page.locator("#graph-focus").textContent(), new RegExp("^" + clusterName + ": "));
  await page.waitForTimeout(300); // the focus animation
  await shot(page, "04-network");

  // Filtered by topic and kind, without the script's help: the form.
  await page.locator("#topic").selectOption("bioenergy");
  await page.locator('input[name="kinds"][value="organisation"]').uncheck();
  await page.locator("#network-filters button[type=submit]").click();
  await page.waitForURL(/topic=bioenergy/);
  await page.waitForSelector('#graph[data-ready="true"]');
  const kinds = await page.locator("table.nodes tbody td .kind").allTextContents();
  assert.ok(!kinds.some((k) => /Organisation/.test(k)), "organisations shown though unticked");
  await shot(page, "05-network-bioenergy");
  await page.close();
});

test("map, heat map, gaps and calendar", async () => {
  const page = await newPage();
  await page.goto(base + "/network/map");
  assert.equal(await page.locator("svg circle.count").count(), 4, "the four demo clusters sit in four counties");
  assert.ok(await page.locator("table.counties tr:not(.zero) th").count() >= 4);
  await shot(page, "06-map");

  await page.getByRole("link", { name: "Värmekarta" }).click();
  await page.waitForURL(/heatmap/);
  assert.ok(await page.locator("table.heatmap td.heat-5").count() >= 1, "no strongest cell");
  await shot(page, "07-heatmap");

  await page.getByRole("link", { name: "Luckor" }).click();
  await page.waitForURL(/gaps/);
  assert.ok(await page.locator("table.gaps td.gap").count() > 0, "no gaps shown");
  await shot(page, "08-gaps");

  await page.goto(base + "/calendar?when=all");
  const events = page.locator("li.event");
  assert.ok(await events.count() > 0, "calendar is empty");
  await shot(page, "09-calendar");
  await events.first().locator("h3 a").click();
  await page.waitForURL(/\/calendar\/.+/);
  assert.ok(await page.locator("dl.facts dt").count() > 0);
  const ics = await page.locator('a[type="text/calendar"]').getAttribute("href");
  const resp = await page.request.get(base + ics);
  assert.equal(resp.status(), 200);
  const body = await resp.text();
  assert.match(body, /^BEGIN:VCALENDAR\r\n/);
  assert.match(body, /\r\nBEGIN:VEVENT\r\n/);
  await shot(page, "10-event");
  await page.close();
});

test("English and the follow links", async () => {
  const page = await newPage();
  await page.goto(base + "/topics/self-sufficiency?lang=en");
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  const actions = page.locator("aside.actions");
  assert.ok(await actions.getByRole("link", { name: "Find partners" }).count() === 1);
  const feed = await actions.getByRole("link", { name: "Follow new documents (Atom)" }).getAttribute("href");
  const resp = await page.request.get(base + feed);
  assert.equal(resp.status(), 200);
  assert.match(await resp.text(), /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  await shot(page, "11-topic-en");
  await page.goto(base + "/?lang=sv");
  await page.close();
});

test("pages work without JavaScript", async () => {
  const noJSProfile = mkdtempSync(path.join(tmpdir(), "klusterkarta-e2e-nojs-"));
  const noJS = await chromium.launchPersistentContext(noJSProfile, {
    executablePath, headless: true, args: browserArgs, javaScriptEnabled: false, viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await noJS.newPage();
    await page.goto(base + "/network?topic=self-sufficiency");
    assert.ok(await page.locator("table.nodes tbody tr").count() > 0, "node table empty without scripts");
    assert.ok(await page.locator(".graph-help").isVisible(), "no word that the graph needs scripts");
    await shot(page, "12-network-nojs");
    await page.goto(base + "/partners?topic=bioenergy");
    assert.ok(await page.locator("li.partner").count() > 0);
  } finally {
    await noJS.close();
    rmSync(noJSProfile, { recursive: true, force: true });
  }
});

test("no script errors or policy violations", () => {
  assert.deepEqual(consoleErrors, []);
});
