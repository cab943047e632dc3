// Integration tests start nodes and wait for messages to cross a real broker.
jest.setTimeout(120_000);
