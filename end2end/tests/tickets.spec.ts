import { test, expect, type Browser, type Page } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

// Support tickets at both screen sizes. Each test opens its own tickets, so the desktop and
// phone projects can share one database.

const SCRIPT_BODY = "<script>window.__pwned = 1</script><b>bold?</b> My site shows error 500.";

/** Opens a ticket as the signed-in (English) client and returns its address. */
async function openTicket(page: Page, subject: string, body = "Please help.", file?: { name: string; text: string }) {
  await page.goto("/tickets/new");
  await hydrated(page);
  await page.getByLabel("Hosting support").check();
  await page.getByLabel("Priority").selectOption("high");
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message").fill(body);
  if (file) {
    await page.getByLabel("Attachments (optional)").setInputFiles({ name: file.name, mimeType: "text/plain", buffer: Buffer.from(file.text) });
  }
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(page).toHaveURL(/\/tickets\/\d+\?opened=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Your ticket is open" })).toBeVisible();
  return new URL(page.url()).pathname;
}

async function staffPage(browser: Browser, path: string) {
  const context = await browser.newContext();
  const staff = await context.newPage();
  await signIn(staff, "admin@example.com");
  await expect(staff.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  await staff.goto(path);
  await hydrated(staff);
  return { staff, context };
}

test("a client opens a ticket with an attachment, and HTML in it stays text", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await page.goto("/tickets/new");
  // Each department says what it answers.
  await expect(page.getByText("answers hosting questions only")).toBeVisible();

  const path = await openTicket(page, `Error 500 ${Date.now()}`, SCRIPT_BODY, { name: "error.log", text: "GET / 500" });
  const message = page.getByTestId("ticket-message").first();
  await expect(message).toContainText("<script>window.__pwned = 1</script><b>bold?</b>");
  await expect(message.locator("b")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.getByTestId("ticket-status")).toHaveText("Open");

  // The file comes back as a download with its name.
  const download = page.waitForEvent("download");
  await message.getByRole("link", { name: "error.log" }).click();
  expect((await download).suggestedFilename()).toBe("error.log");

  // The list shows it.
  await page.goto("/tickets");
  await expect(page.getByTestId("ticket-list")).toContainText(path.split("/").pop()!);
});

test("a refused file keeps what was typed and says why", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await page.goto("/tickets/new");
  await hydrated(page);
  await page.getByLabel("Subject").fill("With a program");
  await page.getByLabel("Message").fill("See the attached tool.");
  await page.getByLabel("Attachments (optional)").setInputFiles({ name: "tool.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(page.getByRole("alert")).toHaveText(/That type of file cannot be attached/);
  await expect(page).toHaveURL(/\/tickets\/new$/);
  await expect(page.getByLabel("Message")).toHaveValue("See the attached tool.");
});

test("a staff reply appears live in the open thread and marks the list unread", async ({ page, browser }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  const path = await openTicket(page, `Live ${Date.now()}`);
  const id = path.split("/").pop();
  await hydrated(page);

  const { staff, context } = await staffPage(browser, `/staff/tickets/${id}`);
  // A canned response fills the box; the staff member edits it and sends it.
  await staff.getByLabel("Canned response").selectOption({ label: "Looking into it" });
  await expect(staff.getByLabel("Message")).toHaveValue(/We are looking into it/);
  await staff.getByLabel("Message").fill("We restarted your web server.");
  await staff.getByRole("button", { name: "Send reply" }).click();
  await expect(staff).toHaveURL(/replied=1/);

  // Ben's page was not reloaded.
  await expect(page.getByText("We restarted your web server.")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Portico support team")).toBeVisible();
  await expect(page.getByTestId("ticket-status")).toHaveText("Answered");

  // An internal note is not shown to him.
  await staff.getByLabel("Message").fill("Internal: customer on old PHP.");
  await staff.getByLabel(/Internal note/).check();
  await staff.getByRole("button", { name: "Send reply" }).click();
  await expect(staff.getByText("Internal: customer on old PHP.")).toBeVisible();

  // On the list, the next reply shows up as unread without a reload.
  await page.goto("/tickets");
  await hydrated(page);
  const row = page.getByTestId("ticket-list").getByRole("row").filter({ hasText: `#${id}` });
  await expect(row.getByText("New reply")).toHaveCount(0);
  await staff.getByLabel("Message").fill("Is it working now?");
  await staff.getByRole("button", { name: "Send reply" }).click();
  await expect(row.getByText("New reply")).toBeVisible({ timeout: 15_000 });
  await page.goto("/");
  await expect(page.getByTestId("unread-tickets")).toContainText("Tickets with a new reply");
  await page.goto(path);
  await expect(page.getByText("Internal: customer on old PHP.")).toHaveCount(0);
  await context.close();
});

test("a client closes a ticket and a reply reopens it", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await openTicket(page, `Close me ${Date.now()}`);
  await page.getByRole("button", { name: "Close ticket" }).click();
  await expect(page.getByTestId("ticket-status")).toHaveText("Closed");
  await expect(page.getByText("Replying opens it again")).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Message").fill("Sorry, it broke again.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page).toHaveURL(/replied=1/);
  await expect(page.getByTestId("ticket-status")).toHaveText("Customer reply");
  await expect(page.getByText("Sorry, it broke again.")).toBeVisible();
});

test("Ana sees her answered demo ticket in Spanish", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await page.goto("/tickets");
  await expect(page.getByRole("heading", { level: 1, name: "Tickets de soporte" })).toBeVisible();
  const row = page.getByTestId("ticket-list").getByRole("row").filter({ hasText: "llegan como spam" });
  await expect(row).toBeVisible();
  await expect(row.getByText("Respondido")).toBeVisible();
});
