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
 * (the menu stays open, the entry highlighted): then the entry is taken with Enter, until the menu
 * closes.
 */
export async function chooseMenuItem(item) {
  await item.click();
  for (let attempt = 0; attempt < 36 && (await item.isVisible()); attempt++) {
    await item.hover();
    await item.page().keyboard.press('Enter');
    await item.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
}
