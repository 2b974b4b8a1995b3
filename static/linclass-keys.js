// The keyboard (pure): which press a key stands for. Only the view with the toolbar takes keys.

export const HELP = "Keys: Space step · P play/pause · ← step back · A / E / S add, erase, select · 1–8 class · " +
  "? these keys · Ctrl+Z / Ctrl+Y undo, redo · in a lesson: PageDown / PageUp next, previous scene, Home the scene " +
  "afresh (not while typing in a field)";

// What a presenter's clicker sends (PageDown, PageUp), and Home: moves through a lesson's scenes.
const SCENE_KEYS = { PageDown: "next", PageUp: "prev", Home: "home" };

const TOOLS = { a: "add", e: "erase", s: "select" };

// key: {key, ctrlKey, altKey, metaKey}; typing: focus is in a field; classes: how many class
// buttons there are; lesson: a lesson is open (else PageDown and the rest scroll the page).
// Returns [kind, extra] or null (the key is left to the page).
export function keyAction(key, typing, classes, lesson = false) {
  if (typing || key.altKey || key.metaKey) return null;
  const k = key.key;
  if (key.ctrlKey) {
    if (k === "z" || k === "Z") return ["undo"];
    if (k === "y" || k === "Y") return ["redo"];
    return null;
  }
  if (lesson && SCENE_KEYS[k] && !key.shiftKey) return ["scene", { to: SCENE_KEYS[k] }];
  if (k === " ") return ["step", { n: 1 }];
  if (k === "p" || k === "P") return ["play"];
  if (k === "ArrowLeft") return ["back"];
  if (k === "?") return ["help"];
  if (k.length === 1 && TOOLS[k.toLowerCase()]) return ["tool", { tool: TOOLS[k.toLowerCase()] }];
  if (/^[1-8]$/.test(k) && +k <= classes) return ["class", { m: +k - 1 }];
  return null;
}

// Whether the focused element takes typing (keys then go to it, not to the toolbar).
export const isTyping = (a) => !!a && (a.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName));
