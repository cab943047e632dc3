import { MessageType, resolveMessageType } from './message-type';

describe('resolveMessageType', () => {
  it('takes the full type name and the short one', () => {
    expect(resolveMessageType('AssistanceRequest')).toBe(MessageType.AssistanceRequest);
    expect(resolveMessageType(MessageType.Receipt)).toBe(MessageType.Receipt);
  });

  it('takes no Object built-in for a type', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])
      expect(resolveMessageType(name)).toBeUndefined();
  });
});
