package io.nodelock.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API reads exactly what it documents. Jackson's defaults are forgiving: the last of two equal keys wins (and
 * with records, fails as a 500), {@code 2}, {@code "TRUE"} or {@code 1e400} become {@code true}, {@code "5"} becomes
 * 5. A request that means something else than it says, consent above all, must be refused, not guessed at.
 */
@Configuration(proxyBeanMethods = false)
class ApiJsonConfiguration {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictApiInput() {
        return builder -> builder
                .featuresToEnable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .featuresToDisable(MapperFeature.ALLOW_COERCION_OF_SCALARS, DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .deserializerByType(String.class, new NoNulStringDeserializer())
                .postConfigurer(mapper -> {
                    // Only the JSON type itself is accepted; ALLOW_COERCION_OF_SCALARS alone leaves some shapes open.
                    mapper.coercionConfigFor(LogicalType.Boolean)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
                    for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
                        mapper.coercionConfigFor(number)
                                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                    }
                    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                    mapper.coercionConfigFor(LogicalType.Textual)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                });
    }

    /** PostgreSQL cannot store NUL in text: refused here, where the field can still be named, instead of failing the insert. */
    static final class NoNulStringDeserializer extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw InvalidFormatException.from(p, "NUL characters are not allowed", value, String.class);
            }
            return value;
        }
    }
}
