import { describeKafkaFailure, isTopicAuthorizationFailure } from './kafka-failure';

const endpoint = {
  brokers: ['127.0.0.1:29092'],
  security: {
    ssl: { ca: ['pem'] },
    sasl: { mechanism: 'scram-sha-512' as const, username: 'us-cbp', password: 'secret-password-123' },
  },
};
const kafkajsError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('describeKafkaFailure', () => {
  it('names the principal and the broker when authentication fails, never the password', () => {
    const text = describeKafkaFailure(
      kafkajsError(
        'KafkaJSSASLAuthenticationError',
        'SASL SCRAM SHA512 authentication failed: invalid credentials',
      ),
      endpoint,
    );
    expect(text).toMatch(/^authentication failed for User:us-cbp at 127\.0\.0\.1:29092/);
    expect(text).not.toContain('secret-password-123');
  });

  it('points at KAFKA_CA_FILE when the certificate is not trusted', () => {
    const error = kafkajsError('KafkaJSNumberOfRetriesExceeded', 'Connection error', {
      originalError: kafkajsError(
        'KafkaJSConnectionError',
        'Connection error: self-signed certificate in certificate chain',
      ),
    });
    expect(describeKafkaFailure(error, endpoint)).toMatch(
      /TLS certificate at 127\.0\.0\.1:29092 is not trusted \(check KAFKA_CA_FILE\)/,
    );
  });

  it('says so when nothing listens', () => {
    expect(
      describeKafkaFailure(
        kafkajsError('KafkaJSConnectionError', 'connect ECONNREFUSED 127.0.0.1:29092'),
        endpoint,
      ),
    ).toBe('no broker answers at 127.0.0.1:29092 (connection refused)');
  });

  it('recognises a topic the broker refuses, by code or by kafkajs wording', () => {
    expect(
      isTopicAuthorizationFailure(
        kafkajsError('KafkaJSProtocolError', 'x', { type: 'TOPIC_AUTHORIZATION_FAILED' }),
      ),
    ).toBe(true);
    expect(
      isTopicAuthorizationFailure(
        kafkajsError('KafkaJSNonRetriableError', 'y', {
          originalError: kafkajsError(
            'KafkaJSProtocolError',
            'Not authorized to access topics: [Topic authorization failed]',
          ),
        }),
      ),
    ).toBe(true);
    expect(isTopicAuthorizationFailure(kafkajsError('KafkaJSConnectionError', 'ECONNREFUSED'))).toBe(false);
  });
});
