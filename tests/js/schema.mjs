// A validator for the part of JSON Schema that static/protocol.schema.json uses: $ref (within the
// file), type, enum, const, required, properties, additionalProperties, items, prefixItems,
// minItems, maxItems, minimum, oneOf, allOf, if/then. Returns a list of errors (empty: valid).
import { readFileSync } from "node:fs";

export const SCHEMA = JSON.parse(readFileSync(new URL("../../static/protocol.schema.json", import.meta.url), "utf8"));

const typeOf = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const isType = (v, t) => (t === "integer" ? Number.isInteger(v) : t === "number" ? typeof v === "number" && Number.isFinite(v) : typeOf(v) === t);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function resolve(ref) {
  return ref.replace(/^#\//, "").split("/").reduce((o, k) => o[k], SCHEMA);
}

export function validate(value, schema = SCHEMA, path = "$") {
  if (schema.$ref) return validate(value, resolve(schema.$ref), path);
  const errors = [];
  const err = (msg) => errors.push(`${path}: ${msg}`);
  if (schema.type) {
    const types = [].concat(schema.type);
    if (!types.some((t) => isType(value, t))) err(`${JSON.stringify(value)} is not ${types.join(" or ")}`);
  }
  if (schema.enum && !schema.enum.some((e) => same(e, value))) err(`${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && !same(schema.const, value)) err(`${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (schema.minimum !== undefined && typeof value === "number" && value < schema.minimum) err(`${value} < ${schema.minimum}`);
  if (typeOf(value) === "object") errors.push(...objectErrors(value, schema, path));
  if (Array.isArray(value)) errors.push(...arrayErrors(value, schema, path));
  if (schema.oneOf) {
    const ok = schema.oneOf.filter((s) => validate(value, s, path).length === 0).length;
    if (ok !== 1) err(`matches ${ok} of oneOf, not 1`);
  }
  for (const s of schema.allOf || []) errors.push(...validate(value, s, path));
  if (schema.if && validate(value, schema.if, path).length === 0 && schema.then) errors.push(...validate(value, schema.then, path));
  return errors;
}

function objectErrors(value, schema, path) {
  const out = [];
  for (const k of schema.required || []) if (!(k in value)) out.push(`${path}: ${k} is required`);
  const props = schema.properties || {};
  for (const [k, v] of Object.entries(value)) {
    if (props[k]) out.push(...validate(v, props[k], `${path}.${k}`));
    else if (schema.additionalProperties === false) out.push(`${path}: ${k} is not allowed`);
    else if (typeof schema.additionalProperties === "object") out.push(...validate(v, schema.additionalProperties, `${path}.${k}`));
  }
  return out;
}

function arrayErrors(value, schema, path) {
  const out = [];
  if (schema.minItems !== undefined && value.length < schema.minItems) out.push(`${path}: fewer than ${schema.minItems} items`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${path}: more than ${schema.maxItems} items`);
  const prefix = schema.prefixItems || [];
  value.forEach((v, i) => {
    const s = i < prefix.length ? prefix[i] : schema.items;
    if (s) out.push(...validate(v, s, `${path}[${i}]`));
  });
  return out;
}

export const validateMessage = (name, value) => validate(value, SCHEMA.properties[name], "$");
