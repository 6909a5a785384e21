import { test, expect, chromium } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromiumArgs, chromiumPath } from "../chromium";

test("the manifest and service worker are served", async ({ page, request }) => {
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest.display).toBe("standalone");
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  const sw = await request.get("/sw.js");
  expect(sw.ok()).toBeTruthy();
  await page.goto("/login");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/\/$/);
});

test("Chromium reports no installability errors", async ({ baseURL }) => {
  // Installability needs a persistent profile: an incognito context always reports `in-incognito`.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-pwa-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
  });
  try {
    const page = await context.newPage();
    await page.goto(`${baseURL}/login`);
    await page.evaluate(async () => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    let errors: unknown[] = [];
    // The manifest and worker are checked asynchronously; give Chromium a moment to settle.
    for (let i = 0; i < 20; i++) {
      errors = (await cdp.send("Page.getInstallabilityErrors")).installabilityErrors;
      if (errors.length === 0) break;
      await page.waitForTimeout(500);
    }
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an offline navigation shows the offline page", async ({ page, context }) => {
  await page.goto("/login");
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.reload(); // the worker now controls the page
  await context.setOffline(true);
  await page.goto("/news").catch(() => undefined);
  await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await context.setOffline(false);
});
