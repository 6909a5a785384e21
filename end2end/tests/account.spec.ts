import { test, expect } from "@playwright/test";
import { signIn } from "./helpers";

// The security page's devices and sign-in history, and the data export.

test("signing out another device signs that browser out", async ({ page, browser }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await page.goto("/account/security");
  // Whatever earlier tests left signed in goes first.
  const others = page.getByRole("button", { name: "Sign out everywhere else" });
  if (await others.isVisible()) {
    await others.click();
    await expect(page.getByRole("status").filter({ hasText: "Every other device was signed out." })).toBeVisible();
  }
  await expect(page.getByText("Only this device is signed in.")).toBeVisible();

  const context = await browser.newContext();
  const second = await context.newPage();
  await signIn(second, "ben@example.com");
  await expect(second.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();

  await page.reload();
  const sessions = page.getByTestId("session");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: "This device" })).toHaveCount(1);
  await sessions.filter({ hasNotText: "This device" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("status").filter({ hasText: "That device was signed out." })).toBeVisible();
  await expect(sessions).toHaveCount(1);

  await second.goto("/invoices");
  await expect(second).toHaveURL(/\/login/);
  await context.close();

  // The history lists the sign-ins, this one included.
  await expect(page.getByRole("heading", { name: "Sign-in history" })).toBeVisible();
  await expect(page.getByTestId("sign-in").first()).toContainText("Signed in");
});

test("a client downloads their data as JSON", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await page.goto("/account");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data (JSON)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("portico-data.json");
  const text = await (await import("node:fs")).promises.readFile((await file.path())!, "utf8");
  expect(JSON.parse(text).profile.email).toBe("ben@example.com");
});
