/** README.txt of every bundle: what it is and how to check it without Puente. */
export const BUNDLE_README = `Puente evidence bundle (format puente-evidence/1)

One conversation between customs administrations, as the exporting node holds it:
  messages/   each message exactly as it went over the wire: a compact JWS (RFC 7515), EdDSA/Ed25519;
              "*.detached.jws" once retention removed the payload (header..signature)
  payloads/   each payload as the exporting node holds it (for encrypted payloads: its decryption,
              attested by the node and bound to the JWE by the digest the manifest gives)
  receipts/   the signed receipts (accepted, or rejected with a reason code)
  keys/       the public keys, trust.json (with validity windows and revocations) and one PEM per key
  agreements/ the text of each agreement as in force when the messages travelled (canonical JSON)
  audit/      the exporting node's hash-chained audit log segment and the signed checkpoints around it
  manifest.json  every member with its SHA-256, the messages, receipts and the timeline
  manifest.jws   manifest.json signed by the exporting node

Verify everything:   npm run evidence:verify -- <this file> [--trust <trust-store.json>]

Verify one record with OpenSSL 3 alone (no Puente code):
  R=messages/<file>.jws
  KID=$(cut -d. -f1 "$R" | tr '_-' '/+' | base64 -d 2>/dev/null | sed 's/.*"kid":"\\([^"]*\\)".*/\\1/')
  printf '%s' "$(cut -d. -f1,2 "$R")" > signing-input
  printf '%s==' "$(cut -d. -f3 "$R" | tr '_-' '/+')" | base64 -d > signature
  openssl pkeyutl -verify -pubin -inkey "keys/$(printf '%s' "$KID" | tr -c 'A-Za-z0-9_-' '_').pem" \\
    -rawin -in signing-input -sigfile signature
  sha256sum "$R"    # compare with the recordDigest the manifest and the receipt give
`;
