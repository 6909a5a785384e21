import { test, expect } from "@playwright/test";
import { signIn } from "./helpers";

test("a client cannot open the staff area or call a staff server function", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  const res = await page.goto("/staff");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
  const call = await page.request.post("/_fn/staff_overview", {
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(call.status()).toBe(403);
});

test("staff open the staff area", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  await page.goto("/staff");
  await expect(page.getByRole("heading", { level: 1, name: "Staff area" })).toBeVisible();
  await expect(page.getByText("Client accounts")).toBeVisible();
});

test("an unknown page answers 404 with a way home", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
});
