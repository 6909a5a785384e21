import { test, expect, type Page } from "@playwright/test";
import { signIn } from "./helpers";

// The desktop and phone projects share one database: each run requests a cancellation on
// Ben's site and withdraws it again, leaving the service as it found it.

async function openBensSite(page: Page) {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await page.goto("/services");
  // exact: Ben's other service is shop.bencarter.example.
  await page.getByRole("link", { name: "bencarter.example", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "bencarter.example", exact: true })).toBeVisible();
}

async function withdrawIfOpen(page: Page) {
  const withdraw = page.getByRole("button", { name: "Withdraw the cancellation request" });
  if (await withdraw.isVisible()) {
    await withdraw.click();
    await expect(page).toHaveURL(/cancellation=withdrawn/);
  }
}

async function requestThenWithdraw(page: Page, reason: string) {
  const section = page.getByRole("region", { name: "Request cancellation" });
  await expect(section).toBeVisible();
  await section.getByRole("radio", { name: "At the end of the billing period" }).check();
  await section.getByLabel("Reason", { exact: true }).fill(reason);
  await section.getByRole("checkbox", { name: /I understand/ }).check();
  await section.getByRole("button", { name: "Request cancellation" }).click();

  await expect(page).toHaveURL(/\/services\/\d+\?cancellation=requested$/);
  await expect(page.getByText("Your cancellation request has been recorded.")).toBeVisible();
  await expect(section.getByText("Cancels on")).toBeVisible();
  await expect(section.getByText("At the end of the billing period")).toBeVisible();
  await expect(section.getByText(reason)).toBeVisible();
  // Still active until the end of the period.
  await expect(page.getByRole("main").locator(".badge").first()).toHaveText("Active");

  await section.getByRole("button", { name: "Withdraw the cancellation request" }).click();
  await expect(page).toHaveURL(/\/services\/\d+\?cancellation=withdrawn$/);
  await expect(page.getByText("Your cancellation request has been withdrawn.")).toBeVisible();
  await expect(section.getByRole("button", { name: "Request cancellation" })).toBeVisible();
  await expect(section.getByText(reason)).toHaveCount(0);
}

test("a client requests a cancellation at the end of the period, then withdraws it", async ({ page }, testInfo) => {
  await openBensSite(page);
  await withdrawIfOpen(page);
  await requestThenWithdraw(page, `Moving to another provider (${testInfo.project.name})`);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the cancellation forms work and a blank reason is explained", async ({ page }, testInfo) => {
    await openBensSite(page);
    await withdrawIfOpen(page);
    const section = page.getByRole("region", { name: "Request cancellation" });
    // Only spaces pass the browser's "required" and "minlength" checks but not the server's.
    await section.getByLabel("Reason", { exact: true }).fill("    ");
    await section.getByRole("checkbox", { name: /I understand/ }).check();
    await section.getByRole("button", { name: "Request cancellation" }).click();
    await expect(page.getByRole("alert")).toHaveText("Write a reason of 3 to 2,000 characters.");

    await requestThenWithdraw(page, `No longer needed (${testInfo.project.name}, no JS)`);
  });
});

test("staff see manual provisioning work and open cancellation requests", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  await page.goto("/staff");
  await page.getByRole("main").getByRole("link", { name: /^Provisioning and cancellations/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Provisioning and cancellations" })).toBeVisible();
  const requests = page.getByRole("region", { name: "Open cancellation requests" });
  await expect(requests.getByRole("heading", { name: "shop.bencarter.example" })).toBeVisible();
  await expect(requests.getByRole("button", { name: "Cancel the service now" }).first()).toBeVisible();
});
