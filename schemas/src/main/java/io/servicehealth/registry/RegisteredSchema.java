package io.servicehealth.registry;

import org.apache.avro.Schema;

/** A schema as the registry knows it: subject, version within the subject, global id. */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
}
