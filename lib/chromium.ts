// How this project launches Chromium for browser tests and benchmarks: Debian's build where it
// is installed (Playwright cannot download its own here), else Playwright's; and the flags
// that keep it from dialling hosts it cannot reach (docs: shared STACK-NOTES, "Browsers").
import fs from 'node:fs';

export const CHROMIUM_PATH: string | undefined = process.env.CHROMIUM_PATH ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Options for playwright's `chromium.launch`. */
export const chromiumLaunchOptions = () => ({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
