/**
 * A stand-in for `wrangler`, for testing `npm run deploy` without Cloudflare: the `wrangler` shell script beside
 * it runs this. It appends each call (argv, stdin, the config it was given) to $FAKE_WRANGLER_DIR/calls.json,
 * keeps the account (KV namespaces, Workers and their secrets) in $FAKE_WRANGLER_DIR/account.json, and prints
 * what wrangler 4.164 prints for the commands the deploy script uses. Written for these tests.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface Account {
  namespaces: { id: string; title: string }[];
  workers: Record<string, { secrets: Record<string, string>; deployed: boolean }>;
}

const dir = process.env['FAKE_WRANGLER_DIR']!;
const accountFile = join(dir, 'account.json');
const callsFile = join(dir, 'calls.json');
const account: Account = existsSync(accountFile)
  ? (JSON.parse(readFileSync(accountFile, 'utf8')) as Account)
  : { namespaces: [], workers: {} };
const args = process.argv.slice(2);
const stdin = readFileSync(0, 'utf8');

function option(name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

/** The deployment file the call names, without its leading comment line; JSON otherwise. */
function config(): { name: string; text: string } | null {
  const path = option('--config');
  if (!path) return null;
  const text = readFileSync(resolve(path), 'utf8');
  return { name: (JSON.parse(text.replace(/^\/\/.*\n/, '')) as { name: string }).name, text };
}

const calls = existsSync(callsFile) ? (JSON.parse(readFileSync(callsFile, 'utf8')) as unknown[]) : [];
calls.push({ args, stdin, config: config()?.text ?? null });
writeFileSync(callsFile, JSON.stringify(calls, null, 2));

function finish(code = 0): never {
  writeFileSync(accountFile, JSON.stringify(account, null, 2));
  process.exit(code);
}

// The deploy script puts the command's words first, options after.
const command = args.slice(0, 3).join(' ');
if (command === 'kv namespace list') {
  console.log(
    JSON.stringify(
      account.namespaces.map((namespace) => ({ ...namespace, supports_url_encoding: true })),
      null,
      2,
    ),
  );
  finish();
}
if (command.startsWith('kv namespace create')) {
  const title = args[3]!;
  if (account.namespaces.some((namespace) => namespace.title === title)) {
    console.error(`✘ [ERROR] A KV namespace with the title "${title}" already exists.`);
    finish(1);
  }
  const id = (account.namespaces.length + 1).toString(16).padStart(32, 'a');
  account.namespaces.push({ id, title });
  console.log(`🌀 Creating namespace with title "${title}"\n✨ Success!`);
  console.log(`To access your new KV Namespace in your Worker, add the following snippet to your configuration file:`);
  console.log(JSON.stringify({ kv_namespaces: [{ binding: title, id }] }, null, 2));
  finish();
}
const worker = config()?.name ?? 'unnamed';
if (command.startsWith('secret list')) {
  if (!account.workers[worker]) {
    console.error(
      `✘ [ERROR] Worker "${worker}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`,
    );
    finish(1);
  }
  console.log(
    JSON.stringify(Object.keys(account.workers[worker].secrets).map((name) => ({ name, type: 'secret_text' }))),
  );
  finish();
}
if (command.startsWith('secret put')) {
  // Like wrangler: a secret for a Worker that does not exist yet creates a draft of it.
  account.workers[worker] ??= { secrets: {}, deployed: false };
  account.workers[worker].secrets[args[2]!] = stdin;
  console.log(`🌀 Creating the secret for the Worker "${worker}"\n✨ Success! Uploaded secret ${args[2]}`);
  finish();
}
if (command.startsWith('deploy')) {
  account.workers[worker] ??= { secrets: {}, deployed: false };
  account.workers[worker].deployed = true;
  console.log(`Total Upload: 180.41 KiB / gzip: 38.02 KiB\nUploaded ${worker} (2.31 sec)`);
  console.log(
    `Deployed ${worker} triggers (0.84 sec)\n  https://${worker}.fake-account.workers.dev\n  schedule: */10 * * * *`,
  );
  console.log('Current Version ID: 7e1c4d2a-0000-4000-8000-000000000000');
  finish();
}
console.error(`✘ [ERROR] the fake wrangler does not know \`${args.join(' ')}\``);
finish(1);
