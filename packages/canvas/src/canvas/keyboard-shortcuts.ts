/** Editor actions reachable from the keyboard. */
export type CanvasAction =
  | 'delete'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'duplicate'
  | 'undo'
  | 'redo'
  | 'select-all'
  | 'clear-selection'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'fit-view'
  | 'open-palette'
  | 'open-inspector'
  | 'focus-next'
  | 'focus-previous'
  | 'move-left'
  | 'move-right'
  | 'move-up'
  | 'move-down'
  | 'auto-layout'
  | 'help'
  | 'run';

/** The subset of a KeyboardEvent the shortcut table reads. */
export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}

/**
 * Maps a key press to an editor action (`Ctrl` or `⌘` as the modifier), or `null`.
 * Arrow keys move the selection (with `Shift` by a larger step, decided by the caller).
 *
 * @example
 * ```ts
 * shortcutFor({ key: 'z', ctrlKey: true }); // 'undo'
 * shortcutFor({ key: 'Z', ctrlKey: true, shiftKey: true }); // 'redo'
 * shortcutFor({ key: 'Tab' }); // 'open-palette'
 * ```
 */
export function shortcutFor(e: KeyInput): CanvasAction | null {
  const mod = !!(e.ctrlKey || e.metaKey);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) {
    switch (key) {
      case 'z':
        return e.shiftKey ? 'redo' : 'undo';
      case 'y':
        return 'redo';
      case 'c':
        return 'copy';
      case 'x':
        return 'cut';
      case 'v':
        return 'paste';
      case 'd':
        return 'duplicate';
      case 'a':
        return 'select-all';
      case '=':
      case '+':
        return 'zoom-in';
      case '-':
        return 'zoom-out';
      case '0':
        return 'zoom-reset';
      case 'Enter':
        return 'run';
      default:
        return null;
    }
  }
  if (e.altKey) return null;
  switch (key) {
    case 'Delete':
    case 'Backspace':
      return 'delete';
    case 'Escape':
      return 'clear-selection';
    case 'Tab':
      return null;
    case 'Enter':
      return 'open-inspector';
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
      return 'zoom-out';
    case '1':
      return 'fit-view';
    case 'n':
      return 'open-palette';
    case '?':
      return 'help';
    case 'l':
      return e.shiftKey ? 'auto-layout' : null;
    case 'ArrowLeft':
      return 'move-left';
    case 'ArrowRight':
      return 'move-right';
    case 'ArrowUp':
      return 'move-up';
    case 'ArrowDown':
      return 'move-down';
    case ']':
      return 'focus-next';
    case '[':
      return 'focus-previous';
    default:
      return null;
  }
}
