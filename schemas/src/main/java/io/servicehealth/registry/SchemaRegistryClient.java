package io.servicehealth.registry;

import org.apache.avro.Schema;

/**
 * The part of Confluent's Schema Registry API that a serde needs. Implementations: an HTTP
 * client ({@link RestSchemaRegistryClient}) and an in-process registry ({@link InMemorySchemaRegistry})
 * chosen with a {@code mock://<scope>} URL.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** Id of {@code schema} if it is already registered under {@code subject}; throws 40401/40403 otherwise. */
    int idOf(String subject, Schema schema);

    /** The schema with this global id; throws 40403 when unknown. */
    Schema schemaById(int id);

    /** Latest version registered under {@code subject}; throws 40401 when the subject is unknown. */
    RegisteredSchema latest(String subject);
}
