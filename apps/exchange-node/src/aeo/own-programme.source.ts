import { readFile, stat } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { MessageType, validatePayload } from '@app/contracts';
import type { AeoOperatorData } from '@app/persistence';

/** An operator of this administration's own programme, as its programme office feeds it. */
export interface OwnOperator extends AeoOperatorData {
  readonly consent: boolean;
}

export interface OwnProgramme {
  readonly programme: string;
  readonly operators: readonly OwnOperator[];
}

/** A programme file larger than this is refused rather than read into memory. */
const MAX_FILE_BYTES = 64 * 1_048_576;

export class OwnProgrammeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnProgrammeError';
  }
}

/**
 * This administration's AEO operators, read from PUENTE_AEO_OPERATORS_FILE on every use (the
 * programme office replaces the file; no restart): `{ "programme": "SV-OEA", "operators": [...] }`,
 * each operator as the AEO family carries it plus its `consent` flag. The file is validated with the
 * family's own rules; a file with any invalid operator is refused whole, naming the path of the first
 * problems and never their values, so a half-read programme is never synced.
 */
@Injectable()
export class OwnProgrammeSource {
  constructor(@Inject(NODE_CONFIG) private readonly config: NodeConfig) {}

  get configured(): boolean {
    return this.config.aeo.operatorsFile !== null;
  }

  async read(): Promise<OwnProgramme | null> {
    const file = this.config.aeo.operatorsFile;
    if (!file) return null;
    const size = (await stat(file)).size;
    if (size > MAX_FILE_BYTES)
      throw new OwnProgrammeError(`${file} is ${size} bytes; at most ${MAX_FILE_BYTES} are read`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      throw new OwnProgrammeError(`${file} is not JSON`);
    }
    const raw = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    const operators = Array.isArray(raw.operators) ? (raw.operators as unknown[]) : [];
    // The family's rules, checked as one full sync of the whole programme would be (in slices of
    // at most one message's worth, which is what the rules allow per message).
    for (let i = 0; i < Math.max(operators.length, 1); i += 5000) {
      const checked = validatePayload(MessageType.AeoStatusSync, {
        programme: raw.programme,
        kind: 'SYNC_KIND_FULL',
        asOf: new Date(0).toISOString(),
        operators: operators.slice(i, i + 5000),
      });
      if (!checked.ok) {
        const where = checked.errors
          .slice(0, 5)
          .map((e) => `${shift(e.path, i)} (${e.rule})`)
          .join(', ');
        throw new OwnProgrammeError(`${file}: invalid ${where}`);
      }
    }
    const ids = new Set<string>();
    for (const [k, o] of operators.entries()) {
      const id = (o as { operatorId: string }).operatorId;
      if (ids.has(id)) throw new OwnProgrammeError(`${file}: operators[${k}].operatorId appears twice`);
      ids.add(id);
    }
    return {
      programme: String(raw.programme),
      operators: operators.map((o) => {
        const op = o as OwnOperator;
        return { ...op, consent: op.consent === true };
      }),
    };
  }
}

/** `operators[3].name` of slice `offset` → `operators[offset + 3].name`. */
function shift(path: string, offset: number): string {
  return path.replace(/^operators\[(\d+)\]/, (_, n: string) => `operators[${Number(n) + offset}]`);
}
