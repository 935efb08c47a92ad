// An outside client of the running demo (or any deployment with a Confluent-compatible registry):
// no Java, no Confluent library, no code of this project. It checks the contracts as a consumer and a
// producer in another language would meet them:
//   1. every record of the four output topics decodes (read_committed; magic byte 0, the schema fetched
//      by id from the registry, the Avro body read to its last byte);
//   2. events this client encodes itself are counted: one under the registered schema, one under an
//      evolved schema it registers (a new optional field), read by the pipeline's older reader;
//   3. a record that is not Avro lands in the dead-letter topic with its origin in dlq.* headers.
// Usage: node check.js <broker host:port> [registry URL] [query API URL]
const { Kafka, logLevel } = require('kafkajs');
const avro = require('avsc');

const [broker, registry = 'http://127.0.0.1:8081', api = 'http://127.0.0.1:8080'] = process.argv.slice(2);
if (!broker) {
  console.error('usage: node check.js <broker host:port> [registry URL] [query API URL]');
  process.exit(2);
}
const kafka = new Kafka({ clientId: 'interop-js', brokers: [broker], logLevel: logLevel.ERROR });
const OUTPUTS = ['health-alerts', 'alert-state', 'health-results', 'health-updates'];
const types = new Map();

async function http(method, url, body) {
  const res = await fetch(url, { method, body, headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

async function typeOf(id) {
  if (!types.has(id)) {
    const { schema } = await http('GET', `${registry}/schemas/ids/${id}`);
    types.set(id, avro.Type.forSchema(JSON.parse(schema)));
  }
  return types.get(id);
}

async function decode(buf) {
  if (buf[0] !== 0) throw new Error(`magic byte ${buf[0]}, not 0`);
  const id = buf.readInt32BE(1);
  const { value, offset } = (await typeOf(id)).decode(buf, 5);
  if (offset !== buf.length) throw new Error(`schema ${id} read ${offset} of ${buf.length} bytes`);
  return value;
}

/** Reads topics from the beginning for `ms`, calling `each(topic, message)`. */
async function readAll(topics, ms, each) {
  const consumer = kafka.consumer({ groupId: `interop-js-${Date.now()}`, readUncommitted: false });
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ topic, message }) => each(topic, message) });
  await new Promise(r => setTimeout(r, ms));
  await consumer.disconnect();
}

function frame(id, body) {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, body]);
}

async function main() {
  // 1. decode the outputs
  const counts = Object.fromEntries(OUTPUTS.map(t => [t, 0]));
  const errors = [];
  await readAll(OUTPUTS, 15000, async (topic, m) => {
    try {
      await decode(m.key);
      await decode(m.value);
      counts[topic]++;
    } catch (e) {
      errors.push(`${topic}: ${e.message}`);
    }
  });
  console.log('decoded (read_committed):', JSON.stringify(counts), 'errors:', errors.length);
  if (errors.length) throw new Error('undecodable output: ' + errors.slice(0, 3).join('; '));
  if (!counts['health-results'] || !counts['health-updates']) throw new Error('no health records to decode yet: let the demo run a minute');

  // 2. produce complaints encoded here: event time two hours ahead of the newest a region has seen, so
  //    that no source partition's progress makes them late while they travel
  const region = await http('GET', `${api}/entities/region/GZ`);
  const newest = Math.max(...region.windows.map(w => Date.parse(w.lastEventTime)));
  const at = newest + 2 * 3600 * 1000;
  const run = Date.now();
  const campaign = `JS-${run}`;
  const latest = await http('GET', `${registry}/subjects/complaints-value/versions/latest`);
  const schema = JSON.parse(latest.schema);
  const complaint = id => {
    const event = { eventId: `js-${run}-${id}`, customerId: `js-sub-${id}`, productId: null, campaignId: campaign, regionId: 'GZ',
      category: 'INTERNET', businessType: 'MARKETING', cause: 'WEAK_COVERAGE', repeatComplaint: false, firstContactResolved: true, openedAt: at };
    for (const f of schema.fields) if (!(f.name in event)) event[f.name] = f.default === undefined ? null : f.default;
    return event;
  };
  const evolved = JSON.parse(latest.schema);
  const note = `jsNote${run}`;
  evolved.fields.push({ name: note, type: ['null', 'string'], default: null, doc: 'a field only this producer knows' });
  const { id: evolvedId } = await http('POST', `${registry}/subjects/complaints-value/versions`, JSON.stringify({ schema: JSON.stringify(evolved) }));
  const garbageKey = `js-garbage-${run}`;
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'complaints', messages: [
    { key: 'js-sub-1', value: frame(latest.id, avro.Type.forSchema(schema).toBuffer(complaint(1))) },
    { key: 'js-sub-2', value: frame(evolvedId, avro.Type.forSchema(evolved).toBuffer({ ...complaint(2), [note]: 'hello' })) },
    { key: garbageKey, value: Buffer.from('not avro at all') },
  ] });
  await producer.disconnect();
  console.log(`sent 2 complaints for ${campaign} at ${new Date(at).toISOString()} (schema ids ${latest.id} and ${evolvedId}, the second registered here) and 1 garbage record`);

  let day;
  for (let i = 0; i < 30 && !(day && day.events === 2); i++) {
    await new Promise(r => setTimeout(r, 1000));
    try {
      day = (await http('GET', `${api}/entities/campaign/${campaign}`)).windows.find(w => w.windowSize === 'DAY');
    } catch (e) { /* not there yet */ }
  }
  if (!day || day.events !== 2 || day.complaints.count !== 2) throw new Error(`${campaign}: expected 2 events and 2 complaints, got ${JSON.stringify(day && { events: day.events, complaints: day.complaints.count })}`);
  console.log(`${campaign} DAY window: ${day.events} events, ${day.complaints.count} complaints, subscriberBase ${day.subscriberBase} (not in the catalog)`);

  // 3. the garbage record in the dead-letter topic
  let dead;
  await readAll(['health-dlq'], 8000, async (topic, m) => {
    if (m.key && m.key.toString() === garbageKey) dead = m;
  });
  if (!dead) throw new Error('the garbage record is not in health-dlq');
  const headers = Object.fromEntries(Object.entries(dead.headers).filter(([k]) => k.startsWith('dlq.')).map(([k, v]) => [k, v.toString()]));
  console.log('dead letter:', JSON.stringify(headers), 'value:', JSON.stringify(dead.value.toString()));
  if (headers['dlq.topic'] !== 'complaints' || !headers['dlq.reason'] || dead.value.toString() !== 'not avro at all') throw new Error('dead letter without its origin or original bytes');
  console.log('interop check passed');
}

main().catch(e => {
  console.error('interop check FAILED:', e.message);
  process.exit(1);
});
