// A person's journey through Merit with the TypeScript client made from openapi.yaml
// (openapi-typescript types, openapi-fetch), against a live server. Compiled with
// `tsc --strict`; any step that fails exits non-zero.
//
// Environment: MERIT_URL (the server), MERIT_MAIL_DIR (where it writes emails as .eml files).

import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

const url = process.env.MERIT_URL ?? "http://127.0.0.1:18081";
const mailDir = process.env.MERIT_MAIL_DIR ?? "data/mail";
const password = "Tulip.Harbor7";

function fail(step: string, detail: string): never {
  console.error(`typescript journey FAILED at ${step}: ${detail}`);
  process.exit(1);
}

/** Checks the status of a step's answer and returns its data. */
function expect<T>(step: string, answer: { data?: T; error?: unknown; response: Response }, status: number): T {
  if (answer.response.status !== status) {
    fail(step, `status ${answer.response.status}, wanted ${status}: ${JSON.stringify(answer.error ?? null)}`);
  }
  console.log(`typescript journey: ${step} ok (${status})`);
  return answer.data as T;
}

/** The plain-text body of an .eml file, quoted-printable decoded. */
function plainText(raw: string): string {
  const start = raw.indexOf("Content-Type: text/plain");
  const part = start >= 0 ? raw.slice(start) : raw;
  const joined = part.replace(/=\r?\n/g, "");
  return joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The token of the newest email to `address` in the mail folder (waits for delivery). */
async function verificationToken(address: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const tokens = readdirSync(mailDir)
      .filter((name) => name.endsWith(".eml"))
      .sort()
      .map((name) => readFileSync(join(mailDir, name), "utf8"))
      .filter((raw) => raw.includes(address))
      .map((raw) => /[?&]token=([A-Za-z0-9_-]+)/.exec(plainText(raw))?.[1])
      .filter((token): token is string => token !== undefined);
    const newest = tokens[tokens.length - 1];
    if (newest !== undefined) return newest;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fail("read the verification email", `no email with a link to ${address} in ${mailDir}`);
}

async function main(): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl: url });

  const first = expect("anonymous search", await anonymous.GET("/api/v1/postings", { params: { query: { limit: 2 } } }), 200);
  const cursor = first.next_cursor;
  if (first.items.length === 0 || typeof cursor !== "string") fail("anonymous search", "the demo data should give a full first page and a cursor");
  const second = expect(
    "anonymous search, second page",
    await anonymous.GET("/api/v1/postings", { params: { query: { limit: 2, cursor } } }),
    200,
  );
  const firstIds = new Set(first.items.map((p) => p.id));
  if (second.items.some((p) => firstIds.has(p.id))) fail("anonymous search, second page", "the pages overlap");

  const address = `ts-${randomBytes(6).toString("hex")}@example.org`;
  expect(
    "register",
    await anonymous.POST("/api/v1/accounts", { body: { email: address, password, first_name: "Tess", last_name: "Script" } }),
    202,
  );
  const token = await verificationToken(address);
  expect("verify the email", await anonymous.POST("/api/v1/auth/email-verifications/confirm", { body: { token } }), 204);
  const tokens = expect("sign in", await anonymous.POST("/api/v1/auth/login", { body: { login: address, password } }), 200);

  const me = createClient<paths>({ baseUrl: url, headers: { Authorization: `Bearer ${tokens.access_token}` } });
  const read = await me.GET("/api/v1/me/profile", { params: { header: {} } });
  expect("read the profile", read, 200);
  const etag = read.response.headers.get("etag") ?? fail("read the profile", "no ETag");
  const patched = await me.PATCH("/api/v1/me/profile", {
    params: { header: { "If-Match": etag } },
    headers: { "Content-Type": "application/merge-patch+json" },
    body: { phone: "(916) 555-0100", conditions: { accepts_contact: true } },
  });
  const profile = expect("patch the profile", patched, 200);
  if (profile.phone !== "(916) 555-0100" || profile.first_name !== "Tess") fail("patch the profile", "the patch was not merged");
  const stale = await me.PATCH("/api/v1/me/profile", { params: { header: { "If-Match": etag } }, body: { phone: null } });
  expect("patch the profile with a stale If-Match", stale, 412);

  const content = `Tess Script\nAnalyst, Sacramento\n${randomBytes(8).toString("hex")}\n`;
  const uploaded = await me.POST("/api/v1/me/documents", {
    body: { kind: "resume", title: "My resume", file: content },
    bodySerializer: (body) => {
      const form = new FormData();
      form.append("kind", body.kind);
      form.append("title", body.title);
      form.append("file", new Blob([body.file], { type: "text/plain" }), "resume.txt");
      return form;
    },
  });
  const document = expect("upload a document", uploaded, 201);
  const downloaded = await me.GET("/api/v1/me/documents/{id}/content", {
    params: { path: { id: document.id } },
    parseAs: "arrayBuffer",
  });
  const bytes = expect("download the document", downloaded, 200);
  if (Buffer.compare(Buffer.from(bytes as ArrayBuffer), Buffer.from(content)) !== 0) fail("download the document", "the bytes differ from those uploaded");

  expect("create a template", await me.POST("/api/v1/me/templates", { body: { name: "State analyst applications" } }), 201);

  const exams = expect("find an open exam", await me.GET("/api/v1/exams", { params: { query: { limit: 1 } } }), 200);
  const examId = exams.items[0]?.id ?? fail("find an open exam", "the demo data should have an open exam");
  const exam = expect("read the exam", await me.GET("/api/v1/exams/{id}", { params: { path: { id: examId } } }), 200);
  const answers = exam.questions.map((q) => ({
    question_id: q.id,
    option_id: q.options[q.options.length - 1]?.id ?? fail("read the exam", "a question without options"),
  }));
  expect("take the exam", await me.POST("/api/v1/exams/{id}/attempts", { params: { path: { id: examId } }, body: { answers } }), 201);
  const standings = expect("list my eligibilities", await me.GET("/api/v1/me/eligibilities", { params: { query: { limit: 10 } } }), 200);
  if (!Array.isArray(standings.items)) fail("list my eligibilities", "not a page");

  const saved = expect(
    "save a search",
    await me.POST("/api/v1/me/saved-searches", { body: { name: "Analyst jobs", criteria: { q: "analyst" } } }),
    201,
  );
  expect("run the saved search", await me.GET("/api/v1/me/saved-searches/{id}/results", { params: { path: { id: saved.id } } }), 200);

  const exported = expect("export my data", await me.GET("/api/v1/me/export"), 200);
  if (exported.documents.length !== 1 || exported.templates.length !== 1 || exported.saved_searches.length !== 1) {
    fail("export my data", "the export does not hold what was made");
  }
  console.log("typescript journey: every step passed");
}

await main();
