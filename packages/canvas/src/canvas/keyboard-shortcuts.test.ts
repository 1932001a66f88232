import { describe, expect, it } from 'vitest';
import { shortcutFor } from './keyboard-shortcuts.js';

describe('shortcutFor', () => {
  it.each([
    [{ key: 'z', ctrlKey: true }, 'undo'],
    [{ key: 'Z', ctrlKey: true, shiftKey: true }, 'redo'],
    [{ key: 'y', metaKey: true }, 'redo'],
    [{ key: 'c', ctrlKey: true }, 'copy'],
    [{ key: 'v', metaKey: true }, 'paste'],
    [{ key: 'd', ctrlKey: true }, 'duplicate'],
    [{ key: 'a', ctrlKey: true }, 'select-all'],
    [{ key: 'Delete' }, 'delete'],
    [{ key: 'Backspace' }, 'delete'],
    [{ key: 'Escape' }, 'clear-selection'],
    [{ key: '1' }, 'fit-view'],
    [{ key: '+' }, 'zoom-in'],
    [{ key: '-' }, 'zoom-out'],
    [{ key: 'ArrowLeft' }, 'move-left'],
    [{ key: 'ArrowDown', shiftKey: true }, 'move-down'],
    [{ key: 'n' }, 'open-palette'],
    [{ key: '?', shiftKey: true }, 'help'],
    [{ key: 'L', shiftKey: true }, 'auto-layout'],
    [{ key: ']' }, 'focus-next'],
    [{ key: 'Enter', ctrlKey: true }, 'run'],
  ])('%o -> %s', (input, action) => {
    expect(shortcutFor(input)).toBe(action);
  });

  it('ignores plain letters, Tab (handled by the canvas) and Alt combinations', () => {
    expect(shortcutFor({ key: 'x' })).toBeNull();
    expect(shortcutFor({ key: 'Tab' })).toBeNull();
    expect(shortcutFor({ key: 'Delete', altKey: true })).toBeNull();
  });
});
