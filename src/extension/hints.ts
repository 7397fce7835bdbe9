/**
 * Hints in the editor's terms: the settings that name executables and the engine's address, each
 * with the command that opens it (a link in a tooltip, a button on a notification, the detail of a
 * quick pick item). No vscode import: what is worded here is unit-tested as it is.
 */
import type { Hint } from '../core/hints';

/** The setting a hint is acted on in, and its search query for the Settings editor. */
export function hintSetting(hint: Hint): string | undefined {
  switch (hint.kind) {
    case 'set-path':
      return hint.runtime === 'node' ? 'wasmContainers.node.path' : 'wasmContainers.runtime.paths';
    case 'engine-address':
      return hint.engine === 'docker' ? 'wasmContainers.docker.host' : undefined;
    case 'install':
      return undefined;
  }
}

/** How the Settings editor titles each setting a hint names. */
const SETTING_TITLES: Readonly<Record<string, string>> = {
  'wasmContainers.runtime.paths': 'Runtime: Paths',
  'wasmContainers.node.path': 'Node: Path',
  'wasmContainers.docker.host': 'Docker: Host',
};

/** One hint in words, naming the setting as the Settings editor shows it. */
export function hintText(hint: Hint): string {
  switch (hint.kind) {
    case 'set-path':
      return hint.runtime === 'node'
        ? `${hint.configured ? `${hint.configured} does not work: ` : ''}set Wasm Containers › Node: Path (wasmContainers.node.path) to a working Node, or clear it`
        : `${hint.configured ? `${hint.configured} was given: ` : 'if it is installed elsewhere, '}set "${hint.runtime}" in Wasm Containers › Runtime: Paths (wasmContainers.runtime.paths)`;
    case 'install':
      return hint.how;
    case 'engine-address':
      return hint.engine === 'docker'
        ? `no engine answered at ${hint.tried}: if it listens elsewhere, set Wasm Containers › Docker: Host (wasmContainers.docker.host)`
        : `no engine answered at ${hint.tried}: start Podman's API socket (systemctl --user start podman.socket)`;
  }
}

/** The hints a reason does not already say (an install text is often part of the reason). */
export function hintsBeyond(hints: readonly Hint[], reason = ''): Hint[] {
  return hints.filter((h) => !(h.kind === 'install' && reason.includes(h.how)));
}

/** A Markdown line per hint, with a link that opens its setting (command links need trust). */
export function hintMarkdown(hints: readonly Hint[], reason?: string): string[] {
  return hintsBeyond(hints, reason).map((h) => {
    const setting = hintSetting(h);
    const link = setting
      ? ` — [Open Setting](command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify([setting]))})`
      : '';
    return `→ ${hintText(h)}${link}`;
  });
}

/** The command that opens a hint's setting, for a notification's button. */
export const OPEN_SETTINGS = 'workbench.action.openSettings';

/** A button that acts on hints: its title, and the command it runs with its arguments. */
export interface HintAction {
  title: string;
  command: string;
  arguments: unknown[];
}

/** One button per setting the hints name ("Open Runtime: Paths"), each opening that setting. */
export function hintActions(hints: readonly Hint[]): HintAction[] {
  const settings = new Set(hints.map(hintSetting).filter((s) => s !== undefined));
  return [...settings].map((setting) => ({
    title: `Open ${SETTING_TITLES[setting] ?? setting}`,
    command: OPEN_SETTINGS,
    arguments: [setting],
  }));
}

/** A notification's text: what happened, then each hint the reason does not already say. */
export function hintedMessage(message: string, hints: readonly Hint[]): string {
  return [message, ...hintsBeyond(hints, message).map((h) => `→ ${hintText(h)}`)].join(' ');
}

/** One line for a quick pick item that cannot be chosen: why, and what would make it usable. */
export function unavailableDetail(reason: string | undefined, hints: readonly Hint[]): string {
  const why = reason ?? 'not available';
  return [why, ...hintsBeyond(hints, why).map(hintText)].join(' · ');
}
