import { test, expect } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-in form works and errors are shown", async ({ page }) => {
    await signIn(page, "nobody@example.com", "wrong password here");
    await expect(page.getByRole("alert")).toHaveText("The email or password is not correct.");
    await signIn(page, "ben@example.com");
    await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  });

  test("the language switch works", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Español" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Iniciar sesión" })).toBeVisible();
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });
});

test("the theme switch works once the page is hydrated, and is remembered", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  const html = page.locator("html");
  await page.getByRole("button", { name: "Dark theme" }).click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(page.getByRole("button", { name: "Light theme" })).toBeVisible();
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await hydrated(page);
  await page.getByRole("button", { name: "Light theme" }).click();
  await expect(html).toHaveAttribute("data-theme", "light");
});

test("switching language after hydration updates the page in place", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByRole("button", { name: "Español" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Iniciar sesión" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
});

test.describe("on a system in dark mode", () => {
  test.use({ colorScheme: "dark" });

  test("the theme switch offers the light theme", async ({ page }) => {
    await page.goto("/login");
    await hydrated(page);
    await expect(page.getByRole("button", { name: "Light theme" })).toBeVisible();
    await page.getByRole("button", { name: "Light theme" }).click();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  });
});
