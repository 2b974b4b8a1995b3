// The patch codec (pure): how a frame's figures are rebuilt from the parts Python sends
// (linclass/ui/plotly_view.py's encode_frames; the contract is protocol.schema.json).
//
// A part is JSON text (a base: a trace or a layout entry) or an object (a patch). A frame refers
// to a part by its index, or by [base, patch]: the base with the patch applied. A patch is a dict
// of changed keys (recursing), {"$list": [...]} for a list of as many dicts (null: unchanged),
// {"$set": value} for a value replaced whole, or any other value as itself.

export const DTYPES = { f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
                        u2: Uint16Array, i4: Int32Array, u4: Uint32Array };

const plain = (o) => o !== null && typeof o === "object" && !Array.isArray(o) && !ArrayBuffer.isView(o);

export function applyPatch(base, d) {
  if (!plain(d)) return d;
  if ("$set" in d) return d.$set;
  if ("$list" in d) return base.map((b, i) => (d.$list[i] === null ? b : applyPatch(b, d.$list[i])));
  const out = plain(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(d)) out[k] = applyPatch(out[k], v);
  return out;
}

// Plotly's {dtype, bdata} arrays become typed arrays here, once: Plotly would decode them anew on
// every react, and a new array makes it replot a trace that did not change. (Arrays with a shape
// stay encoded: Plotly reads those itself.)
export function decode(o) {
  if (Array.isArray(o)) return o.map(decode);
  if (o === null || typeof o !== "object" || ArrayBuffer.isView(o)) return o;
  if (typeof o.bdata === "string" && DTYPES[o.dtype] && o.shape === undefined) return typedArray(o.dtype, o.bdata);
  for (const k of Object.keys(o)) o[k] = decode(o[k]);
  return o;
}

export function typedArray(dtype, bdata) {
  const bin = atob(bdata);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new DTYPES[dtype](bytes.buffer);
}

// The parts of one update, read: text parsed, typed arrays decoded.
export const readParts = (parts) => parts.map((p) => decode(typeof p === "string" ? JSON.parse(p) : p));

// The key of what a reference names: a part's key, or "base+patch".
export const keyOf = (keys, ref) => (Array.isArray(ref) ? keys[ref[0]] + "+" + keys[ref[1]] : keys[ref]);

// A part or a patched part, as a fresh object (the parts stay as received: frames share them).
export function resolve(parts, ref) {
  if (Array.isArray(ref)) return applyPatch(structuredClone(parts[ref[0]]), structuredClone(parts[ref[1]]));
  return structuredClone(parts[ref]);
}

// One figure of a frame, {layout, data}, from its reference [{layout key: ref}, [trace refs]].
export function figure(parts, figRef, part = (ref) => resolve(parts, ref)) {
  const [layoutRefs, traceRefs] = figRef;
  return {
    layout: Object.fromEntries(Object.entries(layoutRefs).map(([k, ref]) => [k, part(ref)])),
    data: traceRefs.map(part),
  };
}

// The keys a figure is made of: equal for two frames exactly when the figure is the same.
export function figureKey(keys, figRef) {
  const [layoutRefs, traceRefs] = figRef;
  return [...Object.entries(layoutRefs).flat(), ...traceRefs]
    .map((r) => (typeof r === "string" ? r : keyOf(keys, r))).join("/");
}
