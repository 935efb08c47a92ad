package io.servicehealth.serde;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes generated (specific) records in Avro binary by a tree of writers built once from the schema,
 * byte for byte what {@code SpecificDatumWriter} writes. Why: the generic writer resolves every
 * nullable union by the value's schema name (a string hash per field) and looks up logical-type
 * conversions per field; for the pipeline's output records (~60 fields, several per input event) that
 * was ~17 % of the stream threads in a drain profile. Here a nullable union is one null check and
 * an enum its ordinal (generated enums declare the symbols in schema order).
 * <p>
 * Supported: every Avro type, and the logical types {@code timestamp-millis} ({@link Instant}) and
 * {@code date} ({@link LocalDate}); {@link #compile} refuses anything else, and callers then use the
 * generic writer.
 */
public final class CompiledDatumWriter<T> implements DatumWriter<T> {
    @FunctionalInterface
    private interface ValueWriter {
        void write(Object value, Encoder out) throws IOException;
    }

    private final Schema schema;
    private final ValueWriter root;

    private CompiledDatumWriter(Schema schema, ValueWriter root) {
        this.schema = schema;
        this.root = root;
    }

    /** @throws UnsupportedOperationException for a logical type this writer does not know */
    public static <T> CompiledDatumWriter<T> compile(Schema schema) {
        return new CompiledDatumWriter<>(schema, new Compiler().writer(schema));
    }

    @Override
    public void setSchema(Schema schema) {
        if (!this.schema.equals(schema)) {
            throw new IllegalArgumentException("compiled for " + this.schema.getFullName() + ", not another schema");
        }
    }

    @Override
    public void write(T datum, Encoder out) throws IOException {
        root.write(datum, out);
    }

    private static final class Compiler {
        /** Record writers by full name, so that a recursive schema compiles (the slot is filled later). */
        private final Map<String, ValueWriter[]> records = new HashMap<>();

        ValueWriter writer(Schema s) {
            LogicalType logical = s.getLogicalType();
            if (logical != null) {
                return logical(s, logical);
            }
            return switch (s.getType()) {
                case RECORD -> record(s);
                case ENUM -> (v, out) -> out.writeEnum(((Enum<?>) v).ordinal());
                case ARRAY -> array(writer(s.getElementType()));
                case MAP -> map(writer(s.getValueType()));
                case UNION -> union(s);
                case FIXED -> (v, out) -> out.writeFixed(((GenericFixed) v).bytes());
                case STRING -> (v, out) -> {
                    if (v instanceof Utf8 u) {
                        out.writeString(u);
                    } else {
                        out.writeString(v.toString());
                    }
                };
                case BYTES -> (v, out) -> out.writeBytes(((ByteBuffer) v).duplicate());
                case INT -> (v, out) -> out.writeInt((Integer) v);
                case LONG -> (v, out) -> out.writeLong((Long) v);
                case FLOAT -> (v, out) -> out.writeFloat((Float) v);
                case DOUBLE -> (v, out) -> out.writeDouble((Double) v);
                case BOOLEAN -> (v, out) -> out.writeBoolean((Boolean) v);
                case NULL -> (v, out) -> out.writeNull();
            };
        }

        private ValueWriter logical(Schema s, LogicalType logical) {
            if (logical instanceof LogicalTypes.TimestampMillis && s.getType() == Schema.Type.LONG) {
                return (v, out) -> out.writeLong(v instanceof Instant i ? i.toEpochMilli() : (Long) v);
            }
            if (logical instanceof LogicalTypes.Date && s.getType() == Schema.Type.INT) {
                return (v, out) -> out.writeInt(v instanceof LocalDate d ? Math.toIntExact(d.toEpochDay()) : (Integer) v);
            }
            throw new UnsupportedOperationException("logical type " + logical.getName() + " on " + s.getType());
        }

        private ValueWriter record(Schema s) {
            ValueWriter[] slot = records.get(s.getFullName());
            if (slot != null) {
                return (v, out) -> slot[0].write(v, out);
            }
            ValueWriter[] self = new ValueWriter[1];
            records.put(s.getFullName(), self);
            List<Schema.Field> fields = s.getFields();
            ValueWriter[] writers = new ValueWriter[fields.size()];
            int[] positions = new int[fields.size()];
            for (int i = 0; i < writers.length; i++) {
                writers[i] = writer(fields.get(i).schema());
                positions[i] = fields.get(i).pos();
            }
            self[0] = (v, out) -> {
                IndexedRecord r = (IndexedRecord) v;
                for (int i = 0; i < writers.length; i++) {
                    writers[i].write(r.get(positions[i]), out);
                }
            };
            return self[0];
        }

        private static ValueWriter array(ValueWriter element) {
            return (v, out) -> {
                Collection<?> items = (Collection<?>) v;
                out.writeArrayStart();
                out.setItemCount(items.size());
                for (Object item : items) {
                    out.startItem();
                    element.write(item, out);
                }
                out.writeArrayEnd();
            };
        }

        private static ValueWriter map(ValueWriter value) {
            return (v, out) -> {
                Map<?, ?> entries = (Map<?, ?>) v;
                out.writeMapStart();
                out.setItemCount(entries.size());
                for (Map.Entry<?, ?> e : entries.entrySet()) {
                    out.startItem();
                    Object key = e.getKey();
                    if (key instanceof Utf8 u) {
                        out.writeString(u);
                    } else {
                        out.writeString(key.toString());
                    }
                    value.write(e.getValue(), out);
                }
                out.writeMapEnd();
            };
        }

        private ValueWriter union(Schema s) {
            List<Schema> branches = s.getTypes();
            ValueWriter[] writers = new ValueWriter[branches.size()];
            for (int i = 0; i < writers.length; i++) {
                writers[i] = writer(branches.get(i));
            }
            if (branches.size() == 2 && (branches.get(0).getType() == Schema.Type.NULL) != (branches.get(1).getType() == Schema.Type.NULL)) {
                int nullIndex = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
                int valueIndex = 1 - nullIndex;
                ValueWriter present = writers[valueIndex];
                return (v, out) -> {
                    if (v == null) {
                        out.writeIndex(nullIndex);
                        out.writeNull();
                    } else {
                        out.writeIndex(valueIndex);
                        present.write(v, out);
                    }
                };
            }
            GenericData data = SpecificData.get();
            return (v, out) -> {
                int index = data.resolveUnion(s, v);
                out.writeIndex(index);
                writers[index].write(v, out);
            };
        }
    }
}
