// The keyboard (static/linclass-keys.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { HELP, isTyping, keyAction } from "../../static/linclass-keys.js";
import { SCHEMA } from "./schema.mjs";
import { PROTOCOL } from "../../static/linclass-queue.js";

const key = (k, mods = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });

test("each key stands for its press", () => {
  assert.deepEqual(keyAction(key(" "), false, 3), ["step", { n: 1 }]);
  assert.deepEqual(keyAction(key("p"), false, 3), ["play"]);
  assert.deepEqual(keyAction(key("P"), false, 3), ["play"]);
  assert.deepEqual(keyAction(key("ArrowLeft"), false, 3), ["back"]);
  assert.deepEqual(keyAction(key("e"), false, 3), ["tool", { tool: "erase" }]);
  assert.deepEqual(keyAction(key("S"), false, 3), ["tool", { tool: "select" }]);
  assert.deepEqual(keyAction(key("2"), false, 3), ["class", { m: 1 }]);
  assert.deepEqual(keyAction(key("?"), false, 3), ["help"]); // the README's "? shows the keys"
  assert.deepEqual(keyAction(key("z", { ctrlKey: true }), false, 3), ["undo"]);
  assert.deepEqual(keyAction(key("Y", { ctrlKey: true }), false, 3), ["redo"]);
});

test("no press while typing, with Alt or Meta, or for a class that is not there", () => {
  assert.equal(keyAction(key(" "), true, 3), null);
  assert.equal(keyAction(key("p", { altKey: true }), false, 3), null);
  assert.equal(keyAction(key("z", { metaKey: true }), false, 3), null);
  assert.equal(keyAction(key("4"), false, 3), null);
  assert.equal(keyAction(key("9"), false, 9), null);
  assert.equal(keyAction(key("p", { ctrlKey: true }), false, 3), null); // Ctrl+P is the browser's
  assert.equal(keyAction(key("Enter"), false, 3), null);
});

test("in a lesson the clicker's keys move through the scenes; else they are the page's", () => {
  assert.deepEqual(keyAction(key("PageDown"), false, 3, true), ["scene", { to: "next" }]);
  assert.deepEqual(keyAction(key("PageUp"), false, 3, true), ["scene", { to: "prev" }]);
  assert.deepEqual(keyAction(key("Home"), false, 3, true), ["scene", { to: "home" }]);
  assert.equal(keyAction(key("PageDown"), false, 3, false), null); // no lesson: the page scrolls
  assert.equal(keyAction(key("PageDown"), false, 3), null);
  assert.equal(keyAction(key("PageDown"), true, 3, true), null); // typing in a field
  assert.equal(keyAction(key("Home", { ctrlKey: true }), false, 3, true), null);
  assert.match(HELP, /PageDown \/ PageUp/);
});

test("fields that take typing", () => {
  assert.ok(isTyping({ tagName: "INPUT" }));
  assert.ok(isTyping({ tagName: "DIV", isContentEditable: true }));
  assert.ok(!isTyping({ tagName: "BUTTON" }));
  assert.ok(!isTyping(null));
  assert.match(HELP, /P play\/pause/);
});

test("the page speaks the schema's version", () => {
  assert.equal(PROTOCOL, SCHEMA.version);
  assert.equal(PROTOCOL, SCHEMA.$defs.version.const);
});
