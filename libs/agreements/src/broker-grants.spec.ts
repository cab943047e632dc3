import { join } from 'node:path';
import type { AgreementsCatalog } from './agreement';
import { deriveBrokerGrants, grantKey } from './broker-grants';
import { loadCatalog } from './catalog.loader';

const CONFIG = join(__dirname, '../../../config');
const catalog = loadCatalog(join(CONFIG, 'parties.yaml'), join(CONFIG, 'agreements.yaml'));
const AT = new Date('2026-06-01T12:00:00Z');
const keys = (c: AgreementsCatalog, at = AT) =>
  new Set(deriveBrokerGrants(c, { namespace: 'puente', at }).map(grantKey));

describe('broker grants derived from config/agreements.yaml', () => {
  const grants = keys(catalog);

  it('lets each party read only its own inbox, dead letters and group', () => {
    for (const party of ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam']) {
      expect(grants).toContain(`${party} READ topic:puente.inbox.${party}`);
      expect(grants).toContain(`${party} READ topic:puente.dlq.${party}`);
      expect(grants).toContain(`${party} READ group:puente-node-${party}`);
      expect(grants).toContain(`${party} WRITE topic:puente.ops.flow`);
    }
    const reads = [...grants].filter((g) => / READ topic:puente\.(inbox|dlq)\./.test(g));
    expect(reads.every((g) => g.split(' ')[0] === g.split('.').at(-1))).toBe(true);
  });

  it('opens a write only where an agreement has a channel, both ways, and never to oneself', () => {
    const writes = [...grants].filter((g) => / WRITE topic:puente\.inbox\./.test(g)).sort();
    expect(writes).toEqual(
      [
        // CMAA: us-cbp, us-ice <-> sv-dga
        'us-cbp WRITE topic:puente.inbox.sv-dga',
        'us-ice WRITE topic:puente.inbox.sv-dga',
        'sv-dga WRITE topic:puente.inbox.us-cbp',
        'sv-dga WRITE topic:puente.inbox.us-ice',
        // ATS-G: sv-dgme <-> us-cbp
        'sv-dgme WRITE topic:puente.inbox.us-cbp',
        'us-cbp WRITE topic:puente.inbox.sv-dgme',
        // MOU: us-cbp <-> mx-anam
        'us-cbp WRITE topic:puente.inbox.mx-anam',
        'mx-anam WRITE topic:puente.inbox.us-cbp',
      ].sort(),
    );
    expect(grants).not.toContain('mx-anam WRITE topic:puente.inbox.sv-dga');
    expect(grants).not.toContain('us-cbp WRITE topic:puente.inbox.us-ice');
  });

  it('lets every party write and read the trust topic, each in its own trust group, and the monitor neither', () => {
    const parties = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam'];
    const onTrust = [...grants].filter((g) => g.endsWith('topic:puente.trust')).sort();
    expect(onTrust).toEqual(
      parties.flatMap((p) => [`${p} READ topic:puente.trust`, `${p} WRITE topic:puente.trust`]).sort(),
    );
    for (const party of parties) expect(grants).toContain(`${party} READ group:puente-node-${party}-trust.*`);
    expect([...grants].filter((g) => g.startsWith('ops-monitor')).some((g) => g.includes('trust'))).toBe(
      false,
    );
  });

  it('lets only the ops monitor read the flow topic', () => {
    const readers = [...grants].filter((g) => g.endsWith('READ topic:puente.ops.flow'));
    expect(readers).toEqual(['ops-monitor READ topic:puente.ops.flow']);
  });

  it("closes a terminated agreement's channels and keeps those of one not yet in force", () => {
    const mou = catalog.agreements.find((a) => a.id === 'mou-us-mx');
    const cmaa = catalog.agreements.find((a) => a.id === 'cmaa-us-sv');
    if (!mou || !cmaa) throw new Error('config/agreements.yaml changed');
    const changed: AgreementsCatalog = {
      ...catalog,
      agreements: catalog.agreements.map((a) =>
        a === mou
          ? { ...a, terminatedFrom: new Date('2026-01-01T00:00:00Z') }
          : a === cmaa
            ? { ...a, inForceFrom: new Date('2099-01-01T00:00:00Z') }
            : a,
      ),
    };
    const after = keys(changed);
    expect(after).not.toContain('mx-anam WRITE topic:puente.inbox.us-cbp');
    expect(after).not.toContain('us-cbp WRITE topic:puente.inbox.mx-anam');
    expect(after).toContain('sv-dga WRITE topic:puente.inbox.us-cbp');
    // Before its termination date the MOU's channel is still open.
    expect(keys(changed, new Date('2025-12-31T00:00:00Z'))).toContain(
      'mx-anam WRITE topic:puente.inbox.us-cbp',
    );
  });

  it('names the agreements behind each channel', () => {
    const g = deriveBrokerGrants(catalog, { namespace: 'puente', at: AT }).find(
      (x) => grantKey(x) === 'sv-dga WRITE topic:puente.inbox.us-cbp',
    );
    expect(g?.because).toEqual(['cmaa-us-sv', 'mra-us-sv-aeo']);
  });
});
