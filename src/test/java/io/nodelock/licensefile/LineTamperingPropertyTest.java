package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class LineTamperingPropertyTest {

    private static final String TRICKY = " =-_:,.+/0aAzZ9\t\r\n\u00e9\u0000";

    @Property(tries = 400)
    void replacingOneCharacterIsNeverAccepted(@ForAll("signedLines") String text,
            @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll("replacements") char c) {
        int i = position % text.length();
        Assume.that(text.charAt(i) != c);
        String mutated = text.substring(0, i) + c + text.substring(i + 1);
        assertThat(acceptedAsOk(mutated)).as(mutated).isFalse();
    }

    @Property(tries = 200)
    void deletingOrInsertingOneCharacterIsNeverAccepted(@ForAll("signedLines") String text,
            @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll("replacements") char c) {
        int i = position % text.length();
        String deleted = text.substring(0, i) + text.substring(i + 1);
        String inserted = text.substring(0, i) + c + text.substring(i);
        assertThat(acceptedAsOk(deleted)).as(deleted).isFalse();
        assertThat(acceptedAsOk(inserted)).as(inserted).isFalse();
    }

    @Property(tries = 200)
    void truncatingIsNeverAccepted(@ForAll("signedLines") String text,
            @ForAll @IntRange(min = 0, max = 100_000) int length) {
        String truncated = text.substring(0, length % text.length());
        assertThat(acceptedAsOk(truncated)).as(truncated).isFalse();
    }

    @Property(tries = 100)
    void untouchedLinesAreAccepted(@ForAll("signedLines") String text) {
        // Without this the properties above would also pass for a verifier that rejects everything.
        assertThat(acceptedAsOk(text)).as(text).isTrue();
    }

    private static boolean acceptedAsOk(String text) {
        LicenseLine line;
        try {
            line = LicenseLine.parse(text);
        } catch (LicenseFormatException e) {
            return false;
        }
        return Fixtures.VERIFIER.verify(line).ok();
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.oneOf(
                Arbitraries.chars().range(' ', '~'),
                Arbitraries.of(TRICKY.chars().mapToObj(ch -> (char) ch).toArray(Character[]::new)));
    }

    @Provide
    Arbitrary<String> signedLines() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').withChars('-')
                .ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> features = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-')
                .ofMaxLength(12).map(s -> "f" + s);
        Arbitrary<String> pids = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('-', '/', '+', '=', '.').ofMinLength(0).ofMaxLength(17).map(s -> "C" + s);
        Arbitrary<String> sns = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> vids = Arbitraries.integers().between(0, 99).map(n -> String.format("V%02d", n))
                .injectNull(0.3);
        Arbitrary<Udi> udis = Combinators.combine(pids, sns, vids).as(Udi::new);
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, 4_000_000_000L);
        Arbitrary<LicenseType> types = Arbitraries.of(LicenseType.class);
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, 100_000);
        Arbitrary<Integer> days = Arbitraries.integers().between(1, 3650);
        return Combinators.combine(ids, features, udis, types, counts, days, seconds, seconds)
                .as((id, feature, udi, type, count, usage, a, b) -> {
                    long lo = Math.min(a, b);
                    long hi = Math.max(a, b) + 1;
                    LicenseLine.Builder builder = LicenseLine.builder().licenseId(id).feature(feature).udi(udi)
                            .type(type).count(count).issuedAt(Instant.ofEpochSecond(lo));
                    switch (type) {
                        case EVALUATION, EXTENSION -> builder.usageDays(usage);
                        case SUBSCRIPTION -> builder.notBefore(Instant.ofEpochSecond(lo))
                                .notAfter(Instant.ofEpochSecond(hi));
                        case PERMANENT -> { }
                    }
                    return Fixtures.SIGNER.sign(builder.build()).toText();
                });
    }
}
