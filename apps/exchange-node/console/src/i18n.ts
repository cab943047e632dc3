/** Every string of the console in Spanish and English: two of the three administrations work in Spanish. */
export type Lang = 'es' | 'en';
export const LANGS: readonly Lang[] = ['es', 'en'];

const en = {
  title: 'Puente officer console',
  language: 'Language',
  signInTitle: 'Sign in',
  signInHelp: 'Paste the bearer token your administration issued to you. It stays in this tab only.',
  token: 'Bearer token',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signInFailed: 'This token is not valid for this node, or lacks the officer role.',
  readPurpose: 'Purpose of access',
  readPurposeHelp: 'Recorded with every read of personal data in the node’s access log.',
  'purpose_case-handling': 'Handling a case',
  'purpose_traveler-risk-assessment': 'Traveler risk assessment',
  'purpose_border-security': 'Border security',
  'purpose_audit-review': 'Audit or oversight review',
  node: 'Node',
  inbox: 'Inbox',
  compose: 'New message',
  received: 'Received',
  filters: 'Filters',
  type: 'Type',
  counterpart: 'Counterpart',
  agreement: 'Agreement',
  status: 'Status',
  overdueOnly: 'Overdue only',
  any: 'Any',
  newestFirst: 'Newest first',
  noMessages: 'No messages match.',
  unread: 'Unread',
  read: 'Read',
  overdue: 'Overdue',
  replyBy: 'Reply by',
  receivedAt: 'Received',
  sentAt: 'Created',
  expiresAt: 'Expires',
  from: 'From',
  to: 'To',
  purpose: 'Purpose',
  page: 'Page {n} of {total}',
  previous: 'Previous',
  next: 'Next',
  open: 'Open',
  caseView: 'Case',
  conversation: 'Conversation',
  sent: 'Sent',
  sentPlural: 'Sent',
  direction: 'Show',
  receivedDir: 'Received',
  receipt: 'Receipt',
  accepted: 'Accepted',
  rejected: 'Rejected',
  noReceipt: 'No receipt yet',
  contents: 'Contents',
  removed: 'Removed (retention period over)',
  withheldRole: 'Personal data withheld: your role may not read it under this agreement.',
  withheldPurpose:
    'Personal data withheld: the purpose you declared at sign-in is not one of this agreement’s purposes, and the provider has not consented to it. Sign in again with one of the agreement’s purposes.',
  answer: 'Answer',
  respond: 'Respond',
  refuse: 'Refuse',
  spontaneous: 'Send spontaneous information',
  loading: 'Loading…',
  chooseAgreement: 'Choose an agreement',
  recipient: 'Recipient',
  chooseFirst: 'Choose the agreement first',
  nothingPermitted: 'This agreement permits this node nothing to send now.',
  preview: 'Preview',
  edit: 'Back to the form',
  send: 'Send',
  sending: 'Sending…',
  inReplyTo: 'In reply to',
  fixErrors: 'The node refused the message: {n} field(s) to correct, shown at each field.',
  refusedBy: 'The node refused the message: {reason}',
  addItem: 'Add {name}',
  removeItem: 'Remove {name} {n}',
  required: 'required',
  listHelp: 'One entry per line.',
  previewHelp: 'Check the message; nothing is sent until you press Send.',
  passengerRisk: 'Passenger risk',
  traveler: 'Traveler',
  outcome: 'Outcome',
  action: 'Recommended action',
  reasons: 'Reasons',
  flight: 'Flight',
  query: 'Query',
  assessment: 'Assessment',
  skipToMain: 'Skip to content',
  status_queued: 'queued',
  status_sent: 'sent',
  status_delivered: 'delivered',
  status_rejected: 'rejected',
  status_failed: 'failed',
  status_accepted: 'accepted',
  notReady: 'The console is not built on this node.',
};

export type Key = keyof typeof en;

const es: Record<Key, string> = {
  title: 'Consola de oficiales de Puente',
  language: 'Idioma',
  signInTitle: 'Iniciar sesión',
  signInHelp: 'Pegue el token de portador que le entregó su administración. Solo se guarda en esta pestaña.',
  token: 'Token de portador',
  signIn: 'Entrar',
  signOut: 'Salir',
  signInFailed: 'Este token no es válido para este nodo o no tiene el rol de oficial.',
  readPurpose: 'Finalidad del acceso',
  readPurposeHelp: 'Se registra con cada lectura de datos personales en el registro de accesos del nodo.',
  'purpose_case-handling': 'Tramitación de un caso',
  'purpose_traveler-risk-assessment': 'Evaluación de riesgo de viajeros',
  'purpose_border-security': 'Seguridad fronteriza',
  'purpose_audit-review': 'Revisión de auditoría o supervisión',
  node: 'Nodo',
  inbox: 'Bandeja de entrada',
  compose: 'Nuevo mensaje',
  received: 'Recibidos',
  filters: 'Filtros',
  type: 'Tipo',
  counterpart: 'Contraparte',
  agreement: 'Acuerdo',
  status: 'Estado',
  overdueOnly: 'Solo vencidos',
  any: 'Cualquiera',
  newestFirst: 'Más recientes primero',
  noMessages: 'Ningún mensaje coincide.',
  unread: 'No leído',
  read: 'Leído',
  overdue: 'Vencido',
  replyBy: 'Responder antes de',
  receivedAt: 'Recibido',
  sentAt: 'Creado',
  expiresAt: 'Vence',
  from: 'De',
  to: 'Para',
  purpose: 'Finalidad',
  page: 'Página {n} de {total}',
  previous: 'Anterior',
  next: 'Siguiente',
  open: 'Abrir',
  caseView: 'Caso',
  conversation: 'Conversación',
  sent: 'Enviado',
  sentPlural: 'Enviados',
  direction: 'Mostrar',
  receivedDir: 'Recibido',
  receipt: 'Acuse',
  accepted: 'Aceptado',
  rejected: 'Rechazado',
  noReceipt: 'Aún sin acuse',
  contents: 'Contenido',
  removed: 'Eliminado (plazo de conservación vencido)',
  withheldRole: 'Datos personales retenidos: su función no permite leerlos bajo este acuerdo.',
  withheldPurpose:
    'Datos personales retenidos: la finalidad declarada al iniciar sesión no es una de las finalidades de este acuerdo y el proveedor no la ha consentido. Inicie sesión de nuevo con una finalidad del acuerdo.',
  answer: 'Responder',
  respond: 'Dar respuesta',
  refuse: 'Denegar',
  spontaneous: 'Enviar información espontánea',
  loading: 'Cargando…',
  chooseAgreement: 'Elija un acuerdo',
  recipient: 'Destinatario',
  chooseFirst: 'Elija primero el acuerdo',
  nothingPermitted: 'Este acuerdo no permite a este nodo enviar nada ahora.',
  preview: 'Vista previa',
  edit: 'Volver al formulario',
  send: 'Enviar',
  sending: 'Enviando…',
  inReplyTo: 'En respuesta a',
  fixErrors: 'El nodo rechazó el mensaje: {n} campo(s) por corregir, indicados en cada campo.',
  refusedBy: 'El nodo rechazó el mensaje: {reason}',
  addItem: 'Añadir {name}',
  removeItem: 'Quitar {name} {n}',
  required: 'obligatorio',
  listHelp: 'Una entrada por línea.',
  previewHelp: 'Revise el mensaje; no se envía nada hasta que pulse Enviar.',
  passengerRisk: 'Riesgo de pasajeros',
  traveler: 'Viajero',
  outcome: 'Resultado',
  action: 'Acción recomendada',
  reasons: 'Motivos',
  flight: 'Vuelo',
  query: 'Consulta',
  assessment: 'Evaluación',
  skipToMain: 'Ir al contenido',
  status_queued: 'en cola',
  status_sent: 'enviado',
  status_delivered: 'entregado',
  status_rejected: 'rechazado',
  status_failed: 'fallido',
  status_accepted: 'aceptado',
  notReady: 'La consola no está compilada en este nodo.',
};

export const STRINGS: Record<Lang, Record<Key, string>> = { en, es };

/** Every reason code a receipt or a refusal can carry, explained in words. */
export const REASONS: Record<string, Record<Lang, string>> = {
  SCHEMA_INVALID: {
    en: 'A field does not meet the message schema.',
    es: 'Un campo no cumple el esquema del mensaje.',
  },
  UNKNOWN_MESSAGE_TYPE: { en: 'The message type is unknown.', es: 'El tipo de mensaje es desconocido.' },
  UNKNOWN_PARTY: {
    en: 'The recipient is not a known administration.',
    es: 'El destinatario no es una administración conocida.',
  },
  TOO_LARGE: { en: 'The message is larger than allowed.', es: 'El mensaje supera el tamaño permitido.' },
  MALFORMED_RECORD: { en: 'The record could not be read.', es: 'No se pudo leer el registro.' },
  UNPROCESSABLE_RECORD: {
    en: 'The receiving node could not process the record.',
    es: 'El nodo receptor no pudo procesar el registro.',
  },
  UNKNOWN_SENDER: {
    en: 'The sender is not known to the receiver.',
    es: 'El remitente no es conocido por el receptor.',
  },
  UNKNOWN_KEY: {
    en: 'The signing key is not in the receiver’s trust store.',
    es: 'La clave de firma no está en el almacén de confianza del receptor.',
  },
  KEY_NOT_OWNED_BY_SENDER: {
    en: 'The signing key belongs to another administration.',
    es: 'La clave de firma pertenece a otra administración.',
  },
  ALG_NOT_ALLOWED: {
    en: 'The signature algorithm is not allowed.',
    es: 'El algoritmo de firma no está permitido.',
  },
  BAD_SIGNATURE: { en: 'The signature does not verify.', es: 'La firma no es válida.' },
  HEADER_MISMATCH: {
    en: 'The record headers disagree with the signed content.',
    es: 'Las cabeceras no coinciden con el contenido firmado.',
  },
  NOT_ADDRESSED_TO_ME: {
    en: 'The message was not addressed to the receiver.',
    es: 'El mensaje no iba dirigido al receptor.',
  },
  DECRYPTION_FAILED: {
    en: 'The receiver could not decrypt the contents.',
    es: 'El receptor no pudo descifrar el contenido.',
  },
  RECEIPT_MISMATCH: {
    en: 'The receipt does not match the message.',
    es: 'El acuse no corresponde al mensaje.',
  },
  ENCRYPTION_BINDING_MISMATCH: {
    en: 'The encrypted contents are bound to another message.',
    es: 'El contenido cifrado está vinculado a otro mensaje.',
  },
  KEY_REVOKED: { en: 'The key used has been revoked.', es: 'La clave utilizada ha sido revocada.' },
  KEY_NOT_VALID: {
    en: 'The key used is not valid at this time.',
    es: 'La clave utilizada no es válida en este momento.',
  },
  KEY_EVENT_NOT_PERMITTED: {
    en: 'The key announcement is not permitted.',
    es: 'El anuncio de clave no está permitido.',
  },
  AUDIT_CHECKPOINT_CONFLICT: {
    en: 'The audit checkpoint conflicts with an earlier one.',
    es: 'El punto de control de auditoría contradice uno anterior.',
  },
  NO_AGREEMENT: { en: 'No agreement permits this exchange.', es: 'Ningún acuerdo permite este intercambio.' },
  AGREEMENT_NOT_IN_FORCE: {
    en: 'The agreement is not in force yet.',
    es: 'El acuerdo aún no está en vigor.',
  },
  AGREEMENT_SUSPENDED: { en: 'The agreement is suspended.', es: 'El acuerdo está suspendido.' },
  AGREEMENT_TERMINATED: { en: 'The agreement has been terminated.', es: 'El acuerdo ha terminado.' },
  PARTY_NOT_IN_AGREEMENT: {
    en: 'The recipient is not a party to this agreement.',
    es: 'El destinatario no es parte de este acuerdo.',
  },
  TYPE_NOT_PERMITTED: {
    en: 'The agreement does not permit this message type.',
    es: 'El acuerdo no permite este tipo de mensaje.',
  },
  PURPOSE_NOT_PERMITTED: {
    en: 'The agreement does not permit this purpose.',
    es: 'El acuerdo no permite esta finalidad.',
  },
  FIELD_NOT_PERMITTED: {
    en: 'A field may not travel under this agreement.',
    es: 'Un campo no puede transmitirse bajo este acuerdo.',
  },
  REPLY_WITHOUT_REQUEST: {
    en: 'A reply must answer a request.',
    es: 'Una respuesta debe contestar a una solicitud.',
  },
  UNKNOWN_CONVERSATION: {
    en: 'The receiver did not start this conversation.',
    es: 'El receptor no inició esta conversación.',
  },
  REPLAYED: {
    en: 'The message was already received (replay).',
    es: 'El mensaje ya se había recibido (repetición).',
  },
  EXPIRED: { en: 'The message expired before it was received.', es: 'El mensaje venció antes de recibirse.' },
  CONSENT_MISSING: {
    en: 'The providing administration’s consent is missing.',
    es: 'Falta el consentimiento de la administración que aportó los datos.',
  },
  BROKER_DENIED: { en: 'The broker refused the message.', es: 'El intermediario rechazó el mensaje.' },
  UNAUTHENTICATED: { en: 'The token is not valid.', es: 'El token no es válido.' },
  FORBIDDEN_ROLE: { en: 'Your role does not allow this.', es: 'Su rol no lo permite.' },
  NOT_FOUND: { en: 'Not found.', es: 'No encontrado.' },
  METHOD_NOT_ALLOWED: {
    en: 'The operation is not allowed here.',
    es: 'La operación no está permitida aquí.',
  },
  RATE_LIMITED: {
    en: 'Too many requests; try again shortly.',
    es: 'Demasiadas solicitudes; inténtelo en un momento.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    en: 'The same submission key was used for another message.',
    es: 'La misma clave de envío se usó para otro mensaje.',
  },
  AEO_PROGRAMME_NOT_CONFIGURED: {
    en: 'No AEO programme is configured.',
    es: 'No hay programa OEA configurado.',
  },
  AEO_PROGRAMME_INVALID: { en: 'The AEO programme is invalid.', es: 'El programa OEA no es válido.' },
};

export function chooseLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored === 'es' || stored === 'en') return stored;
  for (const l of browser) {
    const base = l.slice(0, 2).toLowerCase();
    if (base === 'es' || base === 'en') return base;
  }
  return 'en';
}

export function translate(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  return STRINGS[lang][key].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));
}

export function explainReason(lang: Lang, code: string | undefined): string {
  if (!code) return '';
  return REASONS[code]?.[lang] ?? code;
}

export function formatDate(lang: Lang, iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // A calendar date (reply-by) has no time: show it as the date it is, not shifted by the zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso))
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatNumber(lang: Lang, n: number): string {
  return new Intl.NumberFormat(lang).format(n);
}
