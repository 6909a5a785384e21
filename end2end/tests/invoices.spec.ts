import { test, expect } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("a client filters invoices, opens one and downloads its PDF", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await page.goto("/invoices");
  await page.getByRole("main").getByRole("link", { name: "Pagada", exact: true }).click();
  await expect(page).toHaveURL(/\/invoices\?status=paid/);
  const rows = page.getByRole("main").getByRole("row");
  await expect(rows.nth(1)).toContainText("Pagada");
  const link = rows.nth(1).getByRole("link").filter({ hasText: /^\d{4}-\d{5}$/ });
  const number = (await link.textContent())!.trim();
  await link.click();

  await expect(page.getByRole("heading", { level: 1, name: `Factura ${number}` })).toBeVisible();
  await expect(page.getByTestId("bill-to")).toContainText("ana@example.com");
  await expect(page.getByRole("main")).toContainText("tienda-ana.example");
  await expect(page.getByTestId("invoice-balance")).toHaveText(/0,00\s€/);
  // Paid: how to pay is not offered; the payment is listed.
  await expect(page.getByRole("heading", { name: "Pagar ahora" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Pagos y reembolsos" })).toContainText("Transferencia");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Descargar PDF" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`invoice-${number}.pdf`);
  const chunks: Buffer[] = [];
  for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
  const pdf = Buffer.concat(chunks).toString("latin1");
  expect(pdf.startsWith("%PDF-")).toBe(true);
  // Text runs are WinAnsi strings, literal or (with € or accents) hex: the number, the status
  // and the amounts in Spanish format.
  const runs = [...pdf.matchAll(/(?:\(([^)]*)\)|<([0-9A-Fa-f]+)>) Tj/g)].map((m) =>
    m[1] ?? Buffer.from(m[2], "hex").toString("latin1"),
  );
  expect(runs).toContain(`Factura ${number}`);
  expect(runs).toContain("Pagada");
  expect(runs.filter((r) => /^\d+,\d\d \x80$/.test(r)).length).toBeGreaterThan(2);
});

test("an unpaid invoice says how to pay and the client's credit page is explained", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await page.goto("/invoices?status=unpaid");
  await page.getByRole("main").getByRole("link").filter({ hasText: /^\d{4}-\d{5}$/ }).first().click();
  const pay = page.getByRole("region", { name: "Pay now" });
  await expect(pay).toBeVisible();
  await expect(pay).toContainText("quoting the invoice number");
  await page.goto("/billing/credit");
  await expect(page.getByRole("heading", { level: 1, name: "Credit" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Overpayments and refunds become credit");
});

test("staff record a bank transfer and the client sees it on the invoice", async ({ page, browser }, info) => {
  const reference = `E2E-${info.project.name}-${Date.now()}`;
  await signIn(page, "admin@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  await page.goto("/staff");
  await page.getByRole("main").getByRole("link", { name: /Invoices/ }).click();
  await page.getByLabel("Number, name or email").fill("ben@example.com");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=ben%40example\.com|q=ben@example\.com/);
  await page.getByRole("main").getByRole("link", { name: "Unpaid", exact: true }).click();
  const row = page.getByRole("main").getByRole("row").filter({ hasText: "ben@example.com" }).first();
  await row.getByRole("link").filter({ hasText: /^\d{4}-\d{5}$/ }).click();
  await hydrated(page);
  const url = page.url();

  // A bad amount is refused with a message; a cent is recorded (the invoice stays unpaid, so
  // the test repeats on the shared database).
  const form = page.getByRole("region", { name: "Record a payment" });
  await form.getByLabel("Amount").fill("zero");
  await form.getByRole("button", { name: "Record a payment" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter an amount above zero");
  await form.getByLabel("Amount").fill("0.01");
  await form.getByLabel("Reference (bank transfer id)").fill(reference);
  await form.getByRole("button", { name: "Record a payment" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Payment recorded." })).toBeVisible();
  await expect(page.getByRole("region", { name: "Payments and refunds" })).toContainText(reference);

  const ben = await browser.newContext();
  const benPage = await ben.newPage();
  await signIn(benPage, "ben@example.com");
  await expect(benPage.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await benPage.goto(url.replace("/staff/invoices/", "/invoices/"));
  await expect(benPage.getByRole("region", { name: "Payments and refunds" })).toContainText(reference);
  await ben.close();
});
