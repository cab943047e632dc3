import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type SchemaObject, SwaggerModule } from '@nestjs/swagger';
import type { AgreementsCatalog } from '@app/agreements';
import type { NodeConfig } from '@app/config';
import { MESSAGE_TYPES, MessageType, PAYLOAD_CONTRACTS } from '@app/contracts';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MAX } from '../submit-message/idempotency-key';
import { MAX_SUBMIT_BATCH, SubmitMessageDto } from '../submit-message/submit-message.dto';
import { ValidationSchemas } from './validation.schema';

/** Request bodies documented from their DTO's swagger decorators. */
const REQUEST_BODIES = [
  'DecisionRequestDto',
  'ConsentRequestBodyDto',
  'ConsentDecisionBodyDto',
  'ForwardBodyDto',
  'WithdrawalBodyDto',
  'CorrectionBodyDto',
];

/** The types an officer submits; receipts are the nodes' own. */
const SUBMITTABLE = Object.values(MessageType).filter((t) => t !== MessageType.Receipt);

/**
 * This node's API document (`/docs-json`): routes, parameters and answers from the controllers'
 * decorators; the submission body a `oneOf` of one schema per message type, discriminated by `type`,
 * its payload read from the same class-validator rules that validate it. Recipients are the parties
 * of this node's catalog (an unknown one is refused), so a generated client sends only what the node
 * can judge.
 */
export function buildOpenApiDocument(
  app: INestApplication,
  config: NodeConfig,
  catalog: AgreementsCatalog,
): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Puente exchange node — ${config.party}`)
      .setDescription(
        'Signed, validated, agreement-checked exchange between customs and border administrations. ' +
          'Every refusal has the body ErrorBody with a stable reason code.',
      )
      .setVersion('v1')
      .addBearerAuth()
      .build(),
  );
  const schemas = new ValidationSchemas();
  const submission = submissionSchemas(schemas, [...catalog.parties.keys()]);
  describeCrossFieldRules(schemas.components);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...schemas.components, ...submission },
  };
  // The edge validates request bodies with forbidNonWhitelisted: a field of no schema is refused.
  for (const name of REQUEST_BODIES) {
    const schema = document.components.schemas?.[name];
    if (!schema || '$ref' in schema) throw new Error(`the API document has no schema ${name}`);
    schema.additionalProperties = false;
  }
  describeReplacement(
    document,
    SUBMITTABLE.map((t) => schemas.ref(PAYLOAD_CONTRACTS[t].dto)),
  );
  setRequestBody(document, '/v1/messages', { $ref: '#/components/schemas/Submission' });
  setRequestBody(document, '/v1/messages/batch', {
    type: 'object',
    required: ['messages'],
    additionalProperties: false,
    properties: {
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_SUBMIT_BATCH,
        // Each item is judged alone: an object that is no Submission is refused in its own result,
        // with the status it would have had alone, and the batch still answers 200.
        items: {
          description:
            'A BatchSubmission (a Submission with an optional idempotencyKey); any other object is refused in its own result, not with the batch.',
          anyOf: [{ $ref: '#/components/schemas/BatchSubmission' }, { type: 'object' }],
        },
      },
    },
  });
  return document;
}

/** `Submission` (the oneOf) and one `<Type>Submission` per message type. */
function submissionSchemas(schemas: ValidationSchemas, parties: string[]): Record<string, SchemaObject> {
  // The common fields, read from SubmitMessageDto's own rules.
  const base = schemas.componentOf(SubmitMessageDto);
  const out: Record<string, SchemaObject> = {};
  const mapping: Record<string, string> = {};
  for (const type of SUBMITTABLE) {
    const info = MESSAGE_TYPES[type];
    const name = `${info.name}Submission`;
    const ref = `#/components/schemas/${name}`;
    mapping[type] = ref;
    mapping[info.name] = ref;
    const isReply = info.repliesTo.length > 0;
    out[name] = {
      ...base,
      description: `A ${info.name}: the full type name or the short one in \`type\`.`,
      required: [...(base.required ?? []), ...(isReply ? ['inReplyTo'] : [])],
      properties: {
        ...base.properties,
        type: { type: 'string', enum: [type, info.name] },
        to: { type: 'string', enum: parties, description: 'Recipient: a party of this node’s catalog.' },
        payload: schemas.ref(PAYLOAD_CONTRACTS[type].dto),
      },
    };
  }
  out.Submission = {
    oneOf: SUBMITTABLE.map((t) => ({ $ref: `#/components/schemas/${MESSAGE_TYPES[t].name}Submission` })),
    discriminator: { propertyName: 'type', mapping },
  };
  // A batch item: a submission and, beside its fields, the item's own idempotency key.
  const itemMapping: Record<string, string> = {};
  for (const type of SUBMITTABLE) {
    const name = MESSAGE_TYPES[type].name;
    const submission = out[`${name}Submission`];
    if (!submission) throw new Error(`no ${name}Submission schema`);
    out[`${name}BatchSubmission`] = {
      ...submission,
      properties: {
        ...submission.properties,
        idempotencyKey: {
          type: 'string',
          pattern: IDEMPOTENCY_KEY.source,
          maxLength: IDEMPOTENCY_KEY_MAX,
          description: 'The Idempotency-Key of this item (optional).',
        },
      },
    };
    itemMapping[type] = `#/components/schemas/${name}BatchSubmission`;
    itemMapping[name] = itemMapping[type];
  }
  out.BatchSubmission = {
    oneOf: SUBMITTABLE.map((t) => ({
      $ref: `#/components/schemas/${MESSAGE_TYPES[t].name}BatchSubmission`,
    })),
    discriminator: { propertyName: 'type', mapping: itemMapping },
  };
  return out;
}

/** What the schema cannot say (it compares fields), said in words; breaking it is a 422. */
function describeCrossFieldRules(components: Record<string, SchemaObject>): void {
  const query = components.TravelerRiskQuery;
  if (!query) throw new Error('the API document has no TravelerRiskQuery schema');
  query.description =
    'Also, across fields (422 when broken): flight.scheduledArrival after flight.scheduledDeparture; ' +
    'every travelers[].document.expiry on or after the day of departure.';
}

/**
 * A correction's replacement is a payload of the corrected messages' type: in the document, any
 * submittable type's payload schema (with its rules: no unknown fields, no control characters), so a
 * schema-valid replacement reaches the type check (422 when it is another type's) instead of the edge.
 */
function describeReplacement(document: OpenAPIObject, payloads: { $ref: string }[]): void {
  const body = document.components?.schemas?.CorrectionBodyDto;
  if (!body || '$ref' in body || !body.properties?.replacement)
    throw new Error('the API document has no CorrectionBodyDto.replacement');
  const described = body.properties.replacement;
  body.properties.replacement = {
    description: '$ref' in described ? undefined : described.description,
    anyOf: payloads,
  };
}

function setRequestBody(
  document: OpenAPIObject,
  path: string,
  schema: SchemaObject | { $ref: string },
): void {
  const operation = document.paths[path]?.post;
  if (!operation) throw new Error(`the API document has no POST ${path}`);
  operation.requestBody = { required: true, content: { 'application/json': { schema } } };
}
