export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/**
 * The node's schema, append-only: never edit a released migration, add the next one.
 * Outbound and inbound messages live in separate tables because their identities differ:
 * ours are keyed by message id, a peer's by (sender, message id) — a peer cannot collide with us.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'exchange core',
    statements: [
      `create table outbound_messages (
        id uuid primary key,
        conversation_id uuid not null,
        in_reply_to uuid,
        type text not null,
        recipient text not null,
        agreement_id text not null,
        purpose text not null,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        payload jsonb not null,
        record_digest text not null,
        status text not null check (status in ('queued', 'sent', 'delivered', 'rejected', 'failed')),
        reason_code text,
        reason_rule text,
        reason_detail text,
        submitted_by text not null,
        sent_at timestamptz,
        settled_at timestamptz
      )`,
      'create index outbound_messages_conversation on outbound_messages (conversation_id, created_at)',
      'create index outbound_messages_status on outbound_messages (status, created_at)',
      `create table inbox_messages (
        sender text not null,
        id uuid not null,
        conversation_id uuid not null,
        in_reply_to uuid,
        type text not null,
        agreement_id text not null,
        purpose text not null,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        payload jsonb not null,
        record_digest text not null,
        received_at timestamptz not null,
        primary key (sender, id)
      )`,
      'create index inbox_messages_id on inbox_messages (id)',
      'create index inbox_messages_conversation on inbox_messages (conversation_id, created_at)',
      'create index inbox_messages_type on inbox_messages (type, received_at)',
      `create table outbox (
        seq bigint generated always as identity primary key,
        kind text not null check (kind in ('message', 'receipt', 'dead-letter')),
        message_id uuid,
        topic text not null,
        record_key text,
        record_value text not null,
        headers jsonb not null,
        created_at timestamptz not null default now(),
        attempts int not null default 0,
        last_error text,
        published_at timestamptz
      )`,
      'create index outbox_pending on outbox (seq) where published_at is null',
      `create table receipts (
        direction text not null check (direction in ('issued', 'received')),
        counterpart text not null,
        message_id uuid not null,
        receipt_id uuid not null,
        outcome text not null check (outcome in ('ACCEPTED', 'REJECTED')),
        reason_code text,
        rule text,
        detail text,
        digest text not null,
        record_value text,
        created_at timestamptz not null,
        primary key (direction, counterpart, message_id)
      )`,
      `create table inbound_rejections (
        id bigint generated always as identity primary key,
        received_at timestamptz not null,
        topic text not null,
        kafka_partition int not null,
        kafka_offset text not null,
        record_digest text not null,
        attributed_sender text,
        message_id text,
        reason_code text not null,
        rule text,
        detail text
      )`,
      'create index inbound_rejections_received on inbound_rejections (received_at)',
      `create table api_clients (
        id text primary key,
        agency text not null,
        roles text[] not null,
        token_sha256 text not null unique,
        updated_at timestamptz not null default now()
      )`,
    ],
  },
  {
    version: 2,
    name: 'hash-chained audit log',
    statements: [
      `create table audit_log (
        seq bigint primary key,
        at timestamptz not null,
        kind text not null,
        message_id text,
        counterpart text,
        detail jsonb not null,
        prev_hash text not null,
        hash text not null
      )`,
      // One row holding the chain's head: appends lock it, so entries are chained in commit order.
      `create table audit_head (id int primary key check (id = 1), seq bigint not null, hash text not null)`,
      `insert into audit_head (id, seq, hash) values (1, 0, 'genesis')`,
    ],
  },
  {
    version: 3,
    name: 'retention: depersonalised messages keep their metadata',
    statements: [
      'alter table inbox_messages add column redacted_at timestamptz',
      'alter table outbound_messages add column redacted_at timestamptz',
      'create index inbox_messages_retention on inbox_messages (agreement_id, received_at) where redacted_at is null',
      'create index outbound_messages_retention on outbound_messages (agreement_id, created_at) where redacted_at is null',
    ],
  },
  {
    version: 4,
    name: 'redelivery of unacknowledged messages',
    statements: [
      'alter table outbound_messages add column resend_count int not null default 0',
      'alter table outbound_messages add column next_resend_at timestamptz',
    ],
  },
  {
    version: 5,
    name: 'rejected records kept byte for byte; housekeeping of settled outbox rows',
    statements: [
      // Key, value and headers as they arrived (text when clean UTF-8, else base64, see PreservedBytes).
      'alter table inbound_rejections add column record_key text',
      'alter table inbound_rejections add column record_key_encoding text',
      'alter table inbound_rejections add column record_value text',
      'alter table inbound_rejections add column record_value_encoding text',
      'alter table inbound_rejections add column record_headers jsonb',
      'create index outbox_published on outbox (published_at) where published_at is not null',
    ],
  },
  {
    version: 6,
    name: 'inbox offsets kept in the database, so a restored node reads again what it received since',
    statements: [
      `create table inbox_offsets (
        topic text not null,
        kafka_partition int not null,
        next_offset bigint not null check (next_offset >= 0),
        saved_at timestamptz not null,
        primary key (topic, kafka_partition)
      )`,
    ],
  },
  {
    version: 7,
    name: 'AEO: partner programmes as received, and what this node has shared with each partner',
    statements: [
      // The latest status of each operator of a partner's programme, as that partner last sent it.
      `create table aeo_operators (
        provider text not null,
        programme text not null,
        operator_id text not null,
        name text not null,
        address jsonb not null,
        country text not null,
        status text not null,
        status_date date not null,
        validation_date date not null,
        sync_sequence bigint not null,
        message_id uuid not null,
        updated_at timestamptz not null,
        primary key (provider, programme, operator_id)
      )`,
      'create index aeo_operators_by_id on aeo_operators (operator_id)',
      // Every change as it arrived: a status, a new operator, a withdrawal (status WITHDRAWN).
      `create table aeo_operator_history (
        id bigint generated always as identity primary key,
        provider text not null,
        programme text not null,
        operator_id text not null,
        status text not null,
        status_date date,
        validation_date date,
        sync_sequence bigint not null,
        message_id uuid not null,
        received_at timestamptz not null
      )`,
      'create index aeo_operator_history_by_operator on aeo_operator_history (provider, programme, operator_id, id)',
      // Syncs applied to the registry, so a sync is applied once however often the projector runs.
      `create table aeo_applied_syncs (
        message_id uuid primary key,
        provider text not null,
        operators_changed int not null,
        applied_at timestamptz not null
      )`,
      // What this node last sent each partner per operator (a digest of the shared fields), for deltas.
      `create table aeo_shared (
        recipient text not null,
        programme text not null,
        operator_id text not null,
        digest text not null,
        primary key (recipient, programme, operator_id)
      )`,
      `create table aeo_sync_state (
        recipient text not null,
        programme text not null,
        sequence bigint not null,
        last_message_id uuid not null,
        last_sync_at timestamptz not null,
        primary key (recipient, programme)
      )`,
    ],
  },
  {
    version: 8,
    name: 'what was signed: the accepted record as received',
    statements: [
      // The compact JWS exactly as it came off the topic (ASCII, so text is byte for byte); emptied
      // by the retention job together with the payload, since a signed-only payload is readable in it.
      'alter table inbox_messages add column record_value text',
    ],
  },
  {
    version: 9,
    name: 'key announcements seen on the trust topic',
    statements: [
      // One row per distinct announcement (by the digest of its signed record): the topic is replayed
      // at every start, and each announcement is audited and shown once, the first time it is seen.
      `create table trust_events (
        digest text primary key,
        party text,
        action text,
        subject_kid text,
        signer_kid text,
        outcome text not null,
        detail text,
        record_value text not null,
        seen_at timestamptz not null
      )`,
    ],
  },
  {
    version: 10,
    name: 'audit checkpoints: heads signed by each node, held by its peers',
    statements: [
      // This node's own checkpoints as published, and every peer's as received: (party, seq) → hash.
      `create table audit_checkpoints (
        party text not null,
        seq bigint not null,
        hash text not null,
        at timestamptz not null,
        record_value text not null,
        received_at timestamptz not null,
        primary key (party, seq)
      )`,
    ],
  },
  {
    version: 11,
    name: 'idempotent submissions; events for back-office systems and their webhook deliveries',
    statements: [
      // Written in the same transaction as the message: a retry after a crash finds the key, not a gap.
      `create table idempotency_keys (
        client_id text not null,
        key text not null,
        request_sha256 text not null,
        message_id uuid not null,
        conversation_id uuid not null,
        created_at timestamptz not null,
        primary key (client_id, key)
      )`,
      'create index idempotency_keys_created on idempotency_keys (created_at)',
      // The events outbox: `subject` makes an event once per fact (a message settles once, arrives once).
      `create table node_events (
        seq bigint generated always as identity primary key,
        id uuid not null unique,
        subject text not null unique,
        type text not null,
        occurred_at timestamptz not null,
        data jsonb not null
      )`,
      'create index node_events_occurred on node_events (occurred_at)',
      // One row per configured endpoint: how far it has been delivered, and the retry of the next event.
      `create table webhook_cursors (
        endpoint_id text primary key,
        delivered_seq bigint not null,
        attempts int not null default 0,
        next_attempt_at timestamptz,
        last_error text
      )`,
      `create table webhook_dead_letters (
        endpoint_id text not null,
        event_seq bigint not null,
        event_id uuid not null,
        attempts int not null,
        last_error text not null,
        dead_at timestamptz not null,
        primary key (endpoint_id, event_seq)
      )`,
    ],
  },
  {
    version: 12,
    name: 'evidence: what was signed on the way out, and every agreement text a message travelled under',
    statements: [
      // The compact JWS as published (the outbox row that held it is pruned once settled); kept for
      // evidence and, like the inbox's, reduced to its detached form (header..signature) by retention.
      'alter table outbound_messages add column record_value text',
      // Each distinct text of an agreement the node has run with, from when it was first loaded: the
      // agreement "as in force at a message's time" is the latest version first seen at or before it.
      `create table agreement_versions (
        agreement_id text not null,
        sha256 text not null,
        document text not null,
        first_seen_at timestamptz not null,
        primary key (agreement_id, sha256)
      )`,
      // An evidence export looks up the entries that record a conversation's messages.
      'create index audit_log_message on audit_log (message_id) where message_id is not null',
    ],
  },
  {
    version: 13,
    name: 'personal data: masked payloads with their sealed originals, traveler sightings, unmask requests, the access log',
    statements: [
      // The masked payload replaces `payload`; the original is kept only sealed under the node's
      // masking secret (for a four-eyes unmask) and goes with the payload at the retention period.
      'alter table inbox_messages add column masked_at timestamptz',
      'alter table inbox_messages add column masked_original text',
      'alter table outbound_messages add column masked_at timestamptz',
      'alter table outbound_messages add column masked_original text',
      'create index inbox_messages_masking on inbox_messages (agreement_id, received_at) where masked_at is null and redacted_at is null',
      'create index outbound_messages_masking on outbound_messages (agreement_id, created_at) where masked_at is null and redacted_at is null',
      // Keyed digests of the travelers a query named (never the values): how a returning traveler is
      // recognised once the query itself is masked.
      `create table traveler_sightings (
        agreement_id text not null,
        message_id uuid not null,
        identity_digest text not null,
        seen_at timestamptz not null,
        flagged boolean not null,
        primary key (message_id, identity_digest)
      )`,
      'create index traveler_sightings_digest on traveler_sightings (identity_digest)',
      'create index traveler_sightings_seen on traveler_sightings (agreement_id, seen_at)',
      `create table unmask_requests (
        id uuid primary key,
        message_id uuid not null,
        requested_by text not null,
        requested_at timestamptz not null,
        expires_at timestamptz not null,
        approved_by text,
        approved_at timestamptz,
        view_until timestamptz
      )`,
      // The access log is the audit chain's read entries: found by message and by kind in order.
      'create index audit_log_message_seq on audit_log (message_id, seq) where message_id is not null',
      'create index audit_log_kind on audit_log (kind, seq)',
    ],
  },
  {
    version: 14,
    name: 'corrections and withdrawals applied to received messages; superseded versions an agreement keeps',
    statements: [
      // The marker a received message keeps once its provider corrected or withdrew it: what happened,
      // when, and by which signed message (the Correction or Withdrawal itself stays in the inbox).
      `alter table inbox_messages add column amended_at timestamptz,
        add column amendment text check (amendment in ('corrected', 'withdrawn')),
        add column amendment_id uuid`,
      // Only where the agreement keeps superseded versions (keepSuperseded): the payload and signed
      // record a correction replaced, one row per correction applied.
      `create table superseded_versions (
        sender text not null,
        message_id uuid not null,
        amendment_id uuid not null,
        payload jsonb not null,
        record_value text,
        superseded_at timestamptz not null,
        primary key (sender, amendment_id)
      )`,
      'create index superseded_versions_message on superseded_versions (sender, message_id)',
      // The ledgers read ConsentRequests, Corrections and Withdrawals by the message they concern.
      `create index outbound_messages_concerns on outbound_messages ((payload->>'concernsMessageId'))
        where type in ('puente.consent.v1.ConsentRequest', 'puente.amendment.v1.Correction', 'puente.amendment.v1.Withdrawal')`,
      `create index inbox_messages_concerns on inbox_messages ((payload->>'concernsMessageId'))
        where type = 'puente.consent.v1.ConsentRequest'`,
    ],
  },
  {
    version: 15,
    name: 'replicas: leases that make one replica of a node run a job or answer an item',
    statements: [
      // A named lease: whoever holds it until `until` runs the work it names (a scheduled job for an
      // interval, one query's answer); once it lapses another replica may take it.
      `create table leases (
        name text primary key,
        holder text not null,
        until timestamptz not null
      )`,
      'create index leases_until on leases (until)',
      // The record an inbox row was first stored from: the same record read again after a rebalance
      // is not a copy the sender sent again, and needs no receipt resent (one went out with the row).
      'alter table inbox_messages add column source_record text',
    ],
  },
  {
    version: 16,
    name: 'signed records stored as they are, not compressed',
    statements: [
      // A signed record is base64url text around signed and mostly encrypted bytes: PostgreSQL's
      // compression (pglz) finds little to take out and keeps nothing under a quarter, yet trying
      // was its busiest function at full speed (a sixth of the server's CPU). Rows written from now
      // on keep these columns out of line and whole; the ones already stored stay as they are.
      'alter table outbox alter column record_value set storage external',
      'alter table outbound_messages alter column record_value set storage external',
      'alter table inbox_messages alter column record_value set storage external',
      'alter table receipts alter column record_value set storage external',
    ],
  },
  {
    version: 17,
    name: 'payloads compressed with lz4 where the server has it',
    statements: [
      // Payloads are JSON and do compress, but pglz is slow at it: with 64 KB payloads it was
      // PostgreSQL's busiest function. lz4 compresses JSON about as well for far less CPU. PostgreSQL
      // builds from the usual distributions have it; PGlite does not, and keeps pglz.
      `do $$ begin
        alter table outbound_messages alter column payload set compression lz4;
        alter table inbox_messages alter column payload set compression lz4;
      exception when feature_not_supported then null;
      end $$`,
    ],
  },
];
