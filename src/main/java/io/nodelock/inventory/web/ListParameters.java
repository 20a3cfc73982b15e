package io.nodelock.inventory.web;

import io.nodelock.account.Account;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Problems;
import io.nodelock.inventory.Keyset;
import io.nodelock.inventory.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpStatus;

/**
 * Reads a list's query parameters exactly as docs/inventory.md documents them, and refuses anything else with a 400
 * naming the parameter: a filter the service ignored would answer a different question than the one asked.
 */
final class ListParameters {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    /** Every list takes these besides its filters. */
    static final Set<String> PAGING = Set.of("limit", "cursor");

    private static final String PAK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private ListParameters() {
    }

    /** Refuses a parameter a list does not take (its filters, limit and cursor), and one given twice. */
    static void onlyKnown(HttpServletRequest request, Set<String> filters) {
        Set<String> known = new TreeSet<>(filters);
        known.addAll(PAGING);
        onlyThese(request, known);
    }

    /** Refuses a parameter that is not one of {@code known}, and one given twice. */
    static void onlyThese(HttpServletRequest request, Set<String> known) {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            if (!known.contains(name)) {
                String shown = Problems.isPrintableAscii(name) && name.length() <= 40 ? name : "(a parameter)";
                throw ApiProblem.invalid(shown, "unknown parameter '" + shown + "'; " + (known.isEmpty() ? "this takes none"
                        : "this takes " + String.join(", ", new TreeSet<>(known))));
            }
            if (parameter.getValue().length > 1) {
                throw ApiProblem.invalid(name, name + " is given " + parameter.getValue().length + " times; give it once "
                        + (name.equals("status") || name.equals("kind") || name.equals("type") ? "(several values: comma-separated)" : ""));
            }
        }
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            // Refused rather than clamped: a caller asking for more than it gets would take a short page for the end.
            throw ApiProblem.invalid("limit", "limit must be 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    static Keyset cursor(String list, String cursor) {
        return cursor(list, cursor, false);
    }

    static Keyset cursor(String list, String cursor, boolean uuidIds) {
        if (cursor == null) {
            return null;
        }
        if (cursor.isEmpty() || cursor.length() > 500) {
            throw ApiProblem.invalid("cursor", "cursor is not one this service gave out; pass the 'next' of the previous page");
        }
        try {
            return uuidIds ? Keyset.decodeUuid(list, cursor) : Keyset.decode(list, cursor);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("cursor", e.getMessage());
        }
    }

    /**
     * A customer's searches are its own account's, whatever it asks; naming another account is refused (403, whether
     * or not that account exists). An operator sees every account, or the one {@code accountId} names.
     */
    static Scope scope(Account caller, String accountId) {
        if (accountId != null) {
            text("accountId", accountId, 64);
        }
        if (caller.has(Role.OPERATOR)) {
            return accountId == null ? Scope.ALL : Scope.account(accountId);
        }
        if (accountId != null && !accountId.equals(caller.id())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "A customer sees its own account only: leave accountId out or name your own.");
        }
        return Scope.account(caller.id());
    }

    /** Printable ASCII without spaces, 1 to {@code max} characters; null stays null (no filter). */
    static String text(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > max || !Problems.isPrintableAscii(value) || value.contains(" ")) {
            throw ApiProblem.invalid(field, field + " must be 1 to " + max + " printable ASCII characters without spaces");
        }
        return value;
    }

    /** Strictly {@code true} or {@code false}. */
    static Boolean bool(String field, String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiProblem.invalid(field, field + " must be true or false");
        };
    }

    /** Comma-separated values, each one of {@code allowed} after {@code normalize}; null when not given. */
    static Set<String> oneOf(String field, String value, Set<String> allowed, UnaryOperator<String> normalize) {
        if (value == null) {
            return null;
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String v = normalize.apply(part.strip());
            if (!allowed.contains(v)) {
                throw ApiProblem.invalid(field, field + " must be one or more (comma-separated) of " + String.join(", ", allowed));
            }
            chosen.add(v);
        }
        return chosen;
    }

    static UnaryOperator<String> upper() {
        return s -> s.toUpperCase(Locale.ROOT);
    }

    static UnaryOperator<String> lower() {
        return s -> s.toLowerCase(Locale.ROOT);
    }

    /**
     * A time: an ISO-8601 instant with its offset ({@code 2026-12-01T08:30:00Z}, {@code 2026-12-01T09:30:00+01:00}) or a
     * date ({@code 2026-12-01}, the start of that day in UTC).
     */
    static Instant time(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() <= 40) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notADateTime) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    // refused below
                }
            }
        }
        throw ApiProblem.invalid(field, field + " must be an ISO-8601 time with its offset (2026-12-01T08:30:00Z) or a date "
                + "(2026-12-01, from 00:00 UTC)");
    }

    /** Refuses a window that ends before it starts. */
    static void window(String fromField, Instant from, String toField, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblem.invalid(toField, toField + " must be later than " + fromField);
        }
    }

    /**
     * A UDI prefix as the canonical binding's prefix: {@code PID:C1111-4P,SN:FGL2} as is; {@code C1111-4P_FGL2} (the
     * device path form, a PID's {@code /} written {@code ~}) for the PID and the start of the SN; anything else for the
     * start of the PID ({@code C1111} or {@code ISR4331~K9}).
     */
    static String udiPrefix(String value) {
        String text = text("udiPrefix", value, 80);
        if (text == null) {
            return null;
        }
        if (!text.equals(text.toUpperCase(Locale.ROOT))) {
            throw ApiProblem.invalid("udiPrefix", "udiPrefix must be upper case, as UDIs are written");
        }
        if (text.startsWith("PID:")) {
            return text;
        }
        int underscore = text.indexOf('_');
        if (underscore >= 0) {
            if (underscore == 0 || text.indexOf('_', underscore + 1) >= 0) {
                throw ApiProblem.invalid("udiPrefix", "udiPrefix in the form PID_SN names the whole PID, then the start of the SN");
            }
            return "PID:" + text.substring(0, underscore).replace('~', '/') + ",SN:" + text.substring(underscore + 1);
        }
        return "PID:" + text.replace('~', '/');
    }

    /** A prefix of a PAK code as people type it (any case, dashes and spaces, O for 0, I or L for 1), as stored. */
    static String pakPrefix(String q) {
        if (q == null) {
            return null;
        }
        StringBuilder normalized = new StringBuilder();
        for (char raw : q.toCharArray()) {
            char c = raw < 128 ? Character.toUpperCase(raw) : raw;
            if (c == '-' || c == ' ') {
                continue;
            }
            c = switch (c) {
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> c;
            };
            if (PAK_ALPHABET.indexOf(c) < 0 || normalized.length() == 16) {
                throw ApiProblem.invalid("q", "q is the start of a PAK code: up to 16 of its characters (digits and letters "
                        + "except U; dashes and spaces do not count)");
            }
            normalized.append(c);
        }
        if (normalized.isEmpty()) {
            throw ApiProblem.invalid("q", "q is the start of a PAK code; leave it out to list every PAK");
        }
        return normalized.toString();
    }

    static Set<String> names(Enum<?>[] values) {
        return new LinkedHashSet<>(Arrays.stream(values).map(Enum::name).toList());
    }
}
