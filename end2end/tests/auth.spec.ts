import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, latestEmailTo, openMenu, signIn } from "./helpers";

test("a demo client signs in and sees the home page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await openMenu(page);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invoices" })).toBeVisible();
});

test("a wrong password shows the error and keeps the visitor signed out", async ({ page }) => {
  await signIn(page, "ben@example.com", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("The email or password is not correct.");
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

test("signing out ends the session", async ({ page, context }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await hydrated(page);
  await openMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  // The old cookie no longer opens anything.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
  expect((await context.cookies()).find((c) => c.name === "portico_session")?.value ?? "").toBe("");
});

test("a client forgets the password, resets it from the emailed link, and changes it back", async ({ page }) => {
  const started = Date.now() - 1000;
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill("ben@example.com");
  await page.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists for that address");

  const mail = await latestEmailTo("ben@example.com", started);
  const link = mail.match(/https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, mail).toBeTruthy();

  const temporary = "a brand new passphrase";
  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill(temporary);
  await page.getByLabel("Repeat the new password").fill(temporary);
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password has been changed");

  // The link works once.
  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill("another passphrase");
  await page.getByLabel("Repeat the new password").fill("another passphrase");
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page.getByRole("alert")).toContainText("invalid, already used or expired");

  // The old password no longer works; the new one does.
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("alert")).toHaveText("The email or password is not correct.");
  await signIn(page, "ben@example.com", temporary);
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();

  // Put the demo password back through the change-password form.
  await page.goto("/account/security");
  await page.getByLabel("Current password").fill(temporary);
  await page.getByLabel("New password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel("Repeat the new password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password has been changed");
});

test("a Spanish-speaking client gets the interface in Spanish", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
});
