// Palette and menu input shared by the UI scripts: each waits for the state it needs and retries
// what the workbench can drop while focus moves (never a fixed sleep).

/**
 * Opens the command palette and returns its input. F1 can be swallowed while focus moves (into a
 * webview, or while a theme is being applied): press it again until the palette is visible.
 */
export async function openPalette(page, watchdogMs) {
  const input = page.locator('.quick-input-widget input');
  const tab = page.locator('.tabs-container .tab').first();
  for (let attempt = 0; attempt * 5000 < watchdogMs; attempt++) {
    if (await input.isVisible()) return input;
    if (await tab.isVisible()) await tab.click();
    await page.keyboard.press('F1');
    const opened = await input.waitFor({ state: 'visible', timeout: 5000 }).then(
      () => true,
      () => false,
    );
    if (opened) return input;
    await page.keyboard.press('Escape');
  }
  throw new Error('the command palette did not open (F1)');
}

/**
 * Types into the palette until a row matching `row` shows. The palette closes itself when focus
 * lands late in a webview that was clicked just before, so a fill that finds no input, or a list
 * that never shows the row, opens the palette again.
 */
export async function paletteRow(page, watchdogMs, text, row) {
  for (let attempt = 0; attempt * 15_000 < watchdogMs; attempt++) {
    const input = await openPalette(page, watchdogMs);
    const typed = await input.fill(text, { timeout: 5000 }).then(
      () => true,
      () => false,
    );
    const found = page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first();
    if (
      typed &&
      (await found.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      ))
    )
      return found;
    await page.keyboard.press('Escape');
  }
  throw new Error(`the command palette never listed ${row} for "${text}"`);
}

/**
 * Chooses a context-menu entry. A click that lands while the menu is still settling can be dropped
 * (the menu stays open, the entry highlighted): a menu still open 5 s after the click has its
 * entry taken with Enter, until it closes. Nothing waits unbounded on a menu that may be closing.
 */
export async function chooseMenuItem(item) {
  const closed = () =>
    item.waitFor({ state: 'hidden', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
  await item.click();
  // a menu that took the click closes; only one still open after that had the click dropped
  for (let attempt = 0; attempt < 36 && !(await closed()); attempt++) {
    // bounded: the menu may close between the check and the hover
    const hovered = await item.hover({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (hovered && (await item.isVisible())) await item.page().keyboard.press('Enter');
  }
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A pattern matching exactly `text`. */
export const exact = (text) => new RegExp(`^${escapeRegExp(text)}$`);
/** A pattern matching what begins with `text`. */
export const startsWith = (text) => new RegExp(`^${escapeRegExp(text)}`);

/** The workbench parts both UI scripts look at, bound to one page. */
export function workbench(page) {
  const explorerRow = (name) =>
    page.locator('.explorer-folders-view .monaco-list-row', { hasText: exact(name) });
  const menuItem = (label) =>
    page.locator('.context-view .action-item .action-label', { hasText: exact(label) });
  /**
   * Right-clicks `row` until its menu offers `label`: a menu opened before the extension's
   * contributions were registered never gains them, so it is closed and opened again.
   */
  async function openContextMenu(row, label) {
    for (;;) {
      await row.click({ button: 'right' });
      await page.locator('.context-view .action-item').first().waitFor();
      const offered = await menuItem(label)
        .waitFor({ timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (offered) return;
      await page.keyboard.press('Escape');
    }
  }
  /** Hides the bottom panel (terminal) when it is shown, so that editors get the whole area. */
  async function hidePanel() {
    const hide = page
      .locator('.part.panel a[aria-label^="Hide Panel"], .part.panel a[aria-label^="Close Panel"]')
      .first();
    if (await hide.isVisible()) await hide.click();
  }
  /** The extension's view container is in the activity bar: its contributions are registered. */
  const extensionRegistered = () =>
    page.locator('.activitybar .action-item a[aria-label^="Wasm Containers"]').first().waitFor();
  /** The terminal shows examples/hello's greeting and its exit line under Node's WASI. */
  async function helloRanInTerminal() {
    const terminal = page.locator('.terminal-wrapper .xterm-rows');
    await terminal.filter({ hasText: 'Hello from a Wasm container!' }).first().waitFor();
    await terminal
      .filter({ hasText: /exit code 0 · .* · node-wasi/ })
      .first()
      .waitFor();
  }
  return {
    explorerRow,
    menuItem,
    openContextMenu,
    hidePanel,
    extensionRegistered,
    helloRanInTerminal,
  };
}
