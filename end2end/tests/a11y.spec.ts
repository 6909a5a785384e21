import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { signIn } from "./helpers";

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

test("sign-in and password pages have no WCAG A/AA violations", async ({ page }) => {
  for (const path of ["/login", "/password/forgot", "/login/code", "/email/confirm/not-a-real-token", "/password/welcome/not-a-real-token"]) {
    await page.goto(path);
    await expectNoViolations(page);
  }
});

test("signed-in pages have no WCAG A/AA violations, in both themes", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  for (const theme of ["light", "dark"]) {
    const site = new URL("/", page.url()).toString();
    await page.context().addCookies([{ name: "portico_theme", value: theme, url: site }]);
    for (const path of ["/", "/account", "/account/security", "/account/contacts", "/invoices", "/billing/credit", "/billing/payment-methods", "/tickets", "/tickets/new", "/kb", "/kb/search?q=billing", "/kb/billing", "/kb/billing/how-billing-works"]) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
      await expectNoViolations(page);
    }
  }
});

test("staff pages have no WCAG A/AA violations, in both themes", async ({ page }) => {
  // Fifteen pages in two themes: more axe runs than the default 30 s allows on a busy machine.
  test.setTimeout(200_000);
  await signIn(page, "admin@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  for (const theme of ["light", "dark"]) {
    // Set for the whole site: a cookie set from a page URL would only cover that page's folder.
    const site = new URL("/", page.url()).toString();
    await page.context().addCookies([{ name: "portico_theme", value: theme, url: site }]);
    // The list shows every status badge; the demo draft's form has the delete step.
    for (const path of ["/staff", "/staff/news", "/staff/news/new", "/staff/news/7", "/staff/kb", "/staff/kb/articles/new", "/staff/kb/articles/1", "/staff/kb/categories", "/staff/provisioning", "/staff/invoices", "/staff/invoices/1", "/staff/tickets", "/staff/tickets/1", "/staff/tickets/settings", "/account/security"]) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
      await expectNoViolations(page);
    }
  }
});

test("invoice and plan-change pages have no WCAG A/AA violations", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await page.goto("/invoices");
  await expectNoViolations(page);
  await page.getByRole("main").getByRole("link").filter({ hasText: /^\d{4}-\d{5}$/ }).first().click();
  await expect(page.getByTestId("invoice-balance")).toBeVisible();
  await expectNoViolations(page);
  await page.goto("/services");
  await page.getByRole("link", { name: "tienda-ana.example" }).click();
  await page.getByRole("link", { name: "Cambiar de plan" }).click();
  await page.getByRole("link", { name: "Ver precio Pro Anual" }).click();
  await expect(page.getByTestId("quote-due")).toBeVisible();
  await expectNoViolations(page);
});

test("a ticket thread with staff replies has no WCAG A/AA violations, in Spanish", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: /Hola, Ana/ })).toBeVisible();
  for (const path of ["/tickets", "/tickets/1"]) {
    await page.goto(path);
    await expectNoViolations(page);
  }
});
