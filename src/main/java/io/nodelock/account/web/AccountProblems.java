package io.nodelock.account.web;

import io.nodelock.account.AccountRefusal;
import io.nodelock.api.ApiProblem;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;

/** Account refusals as problem details: the refusal's code in kebab case is the problem type, its field an entry of {@code errors}. */
final class AccountProblems {

    private AccountProblems() {
    }

    static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (AccountRefusal refusal) {
            throw of(refusal);
        }
    }

    static ApiProblem of(AccountRefusal r) {
        HttpStatus status = switch (r.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
        };
        List<ApiProblem.FieldError> errors = r.field() == null ? List.of() : List.of(new ApiProblem.FieldError(r.field(), r.getMessage()));
        return new ApiProblem(status, r.code().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), status.getReasonPhrase(), r.getMessage(), errors, Map.of("code", r.code()));
    }

    static ApiProblem signInRequired(String what) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "sign-in-required", "Sign-in required", what
                + " is done by a person signed in to the portal, not with an API token.");
    }
}
