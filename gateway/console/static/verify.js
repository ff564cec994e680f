// Verifies the audit log in the browser, so a data protection officer need not trust the gateway's own word:
// the latest signed checkpoint (Ed25519, WebCrypto, against fingerprints pinned on the page or typed in), an
// event's inclusion proof and a consistency proof between two checkpoints (RFC 9162 hashing), step by step.
//
// Every checkpoint signature is checked by each entry of SIGNATURE_CHECKS: a witness's co-signature is one
// more entry there (its own key list, pins and message), without touching the proof code below.

const encoder = new TextEncoder();

export function fromHex(text) {
  if (typeof text !== "string" || text.length % 2 !== 0 || /[^0-9a-f]/i.test(text)) {
    throw new Error("not hexadecimal");
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equal(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

// RFC 9162 section 2.1.1: leaves and nodes are hashed with a one-byte prefix.
export const leafHash = (data) => sha256(concat(Uint8Array.of(0), data));
export const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

// The hash chain (gateway/audit/chain.py): SHA-256(prev_hash || seq as 8 bytes big-endian || SHA-256(content)).
export async function eventHash(prevHash, seq, content) {
  const position = new Uint8Array(8);
  new DataView(position.buffer).setBigUint64(0, BigInt(seq));
  return sha256(concat(prevHash, position, await sha256(encoder.encode(content))));
}

const odd = (n) => n % 2 === 1;
const half = (n) => Math.floor(n / 2);

// RFC 9162 section 2.1.3.2.
export async function verifyInclusion(leaf, index, size, path, root) {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

// RFC 9162 section 2.1.4.2.
export async function verifyConsistency(first, second, firstRoot, secondRoot, path) {
  if (!(first > 0 && first <= second)) return false;
  if (first === second) return path.length === 0 && equal(firstRoot, secondRoot);
  const proof = [...path];
  if ((first & (first - 1)) === 0) proof.unshift(firstRoot);
  if (proof.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = proof[0];
  let sr = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
}

// The exact bytes the gateway signs (gateway/audit/checkpoint.py checkpoint_message).
export function checkpointMessage(origin, checkpoint) {
  const { size, root, signed_at: signedAt, key_id: keyId } = checkpoint;
  return encoder.encode(`${origin}\n${size}\n${root}\n${signedAt}\n${keyId}\n`);
}

// The gateway's own signature: the key must be published, pinned by its SHA-256, named by its key id, and
// must have signed exactly this size, root and time.
async function verifyGatewaySignature(checkpoint, context, report) {
  const key = context.keys.find((k) => k.key_id === checkpoint.key_id);
  if (!key) return report(false, `No published key has the id ${checkpoint.key_id}.`);
  const raw = fromBase64(key.public_key);
  const fingerprint = toHex(await sha256(raw));
  if (!context.pins.includes(fingerprint)) {
    return report(false, `The signing key's fingerprint ${fingerprint} is not one of the pinned fingerprints.`);
  }
  if (fingerprint.slice(0, 16) !== checkpoint.key_id) {
    return report(false, `The key id ${checkpoint.key_id} does not name the key ${fingerprint}.`);
  }
  const publicKey = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  const valid = await crypto.subtle.verify(
    { name: "Ed25519" },
    publicKey,
    fromBase64(checkpoint.signature),
    checkpointMessage(context.origin, checkpoint),
  );
  return report(
    valid,
    valid
      ? `Ed25519 signature by pinned key ${fingerprint.slice(0, 16)}… over size ${checkpoint.size}, root ${checkpoint.root.slice(0, 16)}…, time ${checkpoint.signed_at}.`
      : `The Ed25519 signature over size ${checkpoint.size}, root ${checkpoint.root.slice(0, 16)}… does not verify.`,
  );
}

export const SIGNATURE_CHECKS = [{ name: "Gateway signature", check: verifyGatewaySignature }];

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await response.json();
  if (!response.ok) throw new Error(`${url.split("?")[0]} answered ${response.status}: ${body.detail || ""}`);
  return body;
}

class Steps {
  constructor(list) {
    this.list = list;
    this.failed = false;
  }

  start(title) {
    const item = document.createElement("li");
    item.className = "app-verify-step";
    const heading = document.createElement("span");
    heading.className = "app-verify-step__title";
    heading.textContent = title;
    const tag = document.createElement("strong");
    tag.className = "govuk-tag govuk-tag--grey app-verify-step__status";
    tag.textContent = "Checking";
    const detail = document.createElement("p");
    detail.className = "govuk-body-s app-verify-step__detail";
    item.append(tag, heading, detail);
    this.list.append(item);
    return (ok, text) => {
      tag.textContent = ok ? "Passed" : "Failed";
      tag.className = `govuk-tag ${ok ? "govuk-tag--green" : "govuk-tag--red"} app-verify-step__status`;
      item.dataset.result = ok ? "passed" : "failed";
      detail.textContent = text;
      if (!ok) this.failed = true;
      return ok;
    };
  }
}

async function signaturesHold(steps, checkpoint, context, label) {
  let all = true;
  for (const { name, check } of SIGNATURE_CHECKS) {
    all = (await check(checkpoint, context, steps.start(`${name} on ${label}`))) && all;
  }
  return all;
}

export async function verifyLog(options, list) {
  const steps = new Steps(list);
  const { api, origin, pins, seq, older } = options;
  const keys = (await fetchJson(`${api}/v1/audit/keys`)).keys;
  steps.start("Fetch the published checkpoint keys")(true, `${keys.length} key(s): ${keys.map((k) => k.key_id).join(", ")}.`);
  const latest = await fetchJson(`${api}/v1/audit/checkpoints/latest`);
  steps.start("Fetch the latest checkpoint")(true, `Size ${latest.size}, root ${latest.root}, signed ${latest.signed_at}.`);
  const context = { keys, pins, origin };
  await signaturesHold(steps, latest, context, "the latest checkpoint");

  if (seq) {
    const proof = await fetchJson(`${api}/v1/audit/events/${seq}/proof?size=${latest.size}`);
    const sameHead = proof.checkpoint.size === latest.size && proof.checkpoint.root === latest.root;
    steps.start("The proof is against the verified checkpoint")(
      sameHead,
      sameHead ? `Tree size ${proof.tree_size}.` : `The proof names size ${proof.checkpoint.size}, root ${proof.checkpoint.root}.`,
    );
    const recomputed = await eventHash(fromHex(proof.prev_hash), proof.seq, proof.content);
    const chained = toHex(recomputed) === proof.event_hash;
    steps.start(`Recompute event ${proof.seq}'s hash from its content`)(
      chained,
      chained ? `SHA-256(previous hash, position, content) = ${proof.event_hash}.` : `Computed ${toHex(recomputed)}, the log says ${proof.event_hash}.`,
    );
    const included = await verifyInclusion(
      await leafHash(fromHex(proof.event_hash)),
      proof.leaf_index,
      proof.tree_size,
      proof.path.map(fromHex),
      fromHex(latest.root),
    );
    steps.start(`Event ${proof.seq} is in the log (inclusion proof)`)(
      included,
      included ? `${proof.path.length} hashes lead from the event's leaf to the signed root.` : "The audit path does not lead to the signed root.",
    );
  }

  if (older && older < latest.size) {
    const proof = await fetchJson(`${api}/v1/audit/consistency?from=${older}&to=${latest.size}`);
    await signaturesHold(steps, proof.from, context, `the checkpoint at size ${older}`);
    const sameHead = proof.to.root === latest.root && proof.to.size === latest.size;
    const consistent =
      sameHead && (await verifyConsistency(older, latest.size, fromHex(proof.from.root), fromHex(latest.root), proof.path.map(fromHex)));
    steps.start(`The log at size ${latest.size} extends the log at size ${older} (consistency proof)`)(
      consistent,
      consistent ? `${proof.path.length} hashes prove nothing before event ${older + 1} was changed or removed.` : "The consistency proof does not hold: the log may have been rewritten.",
    );
  } else {
    steps.start("Consistency with an earlier checkpoint")(true, "Skipped: there is no earlier checkpoint to compare with.");
  }
  return !steps.failed;
}

function pinsOf(text) {
  return text
    .split(/[\s,]+/)
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.length > 0);
}

function start() {
  const root = document.getElementById("verify");
  if (!root) return;
  const form = document.getElementById("verify-form");
  const list = document.getElementById("verify-steps");
  const result = document.getElementById("verify-result");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    list.replaceChildren();
    result.className = "govuk-body app-verify-result";
    result.textContent = "Verifying…";
    const options = {
      api: root.dataset.api,
      origin: root.dataset.origin,
      pins: pinsOf(document.getElementById("pins").value),
      seq: Number(document.getElementById("seq").value) || null,
      older: Number(document.getElementById("older").value) || null,
    };
    let verified = false;
    try {
      verified = await verifyLog(options, list);
    } catch (error) {
      const item = document.createElement("li");
      item.className = "app-verify-step";
      item.dataset.result = "failed";
      item.textContent = `Could not complete: ${error.message}`;
      list.append(item);
    }
    result.className = `govuk-body app-verify-result ${verified ? "app-verify-result--passed" : "app-verify-result--failed"}`;
    result.dataset.result = verified ? "passed" : "failed";
    result.textContent = verified
      ? "Verified in this browser: the checkpoint is signed by a pinned key and every proof holds."
      : "Verification failed: at least one step did not hold. Do not rely on this log until it is explained.";
  });
}

start();
