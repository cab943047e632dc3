import { type ArgumentsHost, NotFoundException } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { CodedHttpError } from './coded-http.error';
import { errorBody, HttpExceptionFilter } from './http-exception.filter';

const quiet = { error: jest.fn() };

function http(headersSent = false) {
  const res = {
    headersSent,
    headers: {} as Record<string, string>,
    statusCode: 0,
    body: undefined as unknown,
    ended: false,
    setHeader(name: string, value: string) {
      this.headers[name] = value;
    },
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
    },
    end() {
      this.ended = true;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => res }),
  } as unknown as ArgumentsHost;
  return { res, host };
}

describe('HttpExceptionFilter', () => {
  it("answers a coded refusal with its status, code and details, and 429's Retry-After", () => {
    const { res, host } = http();
    new HttpExceptionFilter().catch(
      new CodedHttpError('RATE_LIMITED', 429, 'too many requests: try again in 3 s', {
        retryAfterSeconds: 3,
      }),
      host,
    );
    expect(res.statusCode).toBe(429);
    expect(res.headers['Retry-After']).toBe('3');
    expect(res.body).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: 'too many requests: try again in 3 s',
    });
  });

  it('keeps field errors, quotes only a prefix of a framework message, and hides a fault', () => {
    const errors = [{ path: 'payload.hsCode', rule: 'pattern', message: 'must be 6 to 10 digits' }];
    expect(
      errorBody(new CodedHttpError('SCHEMA_INVALID', 400, '1 invalid field', { errors }), quiet),
    ).toEqual({
      statusCode: 400,
      code: 'SCHEMA_INVALID',
      message: '1 invalid field',
      errors,
    });
    const notFound = errorBody(new NotFoundException(`Cannot GET /${'x'.repeat(500)}`), quiet);
    expect(notFound.code).toBe('NOT_FOUND');
    expect(notFound.message.length).toBeLessThanOrEqual(81);
    expect(errorBody(new Error('secret detail'), quiet)).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'internal error',
    });
    expect(quiet.error).toHaveBeenCalledTimes(1);
  });

  it('ends a response already under way, and hands a Kafka error back to the transport', async () => {
    const { res, host } = http(true);
    new HttpExceptionFilter().catch(new CodedHttpError('NOT_FOUND', 404, 'gone'), host);
    expect(res.ended).toBe(true);
    expect(res.statusCode).toBe(0);
    const rpc = { getType: () => 'rpc' } as unknown as ArgumentsHost;
    const fault = new Error('database away');
    const handedBack = new HttpExceptionFilter().catch(fault, rpc);
    await expect(handedBack && firstValueFrom(handedBack)).rejects.toBe(fault);
  });
});
