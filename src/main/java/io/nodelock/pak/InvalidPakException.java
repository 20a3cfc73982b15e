package io.nodelock.pak;

import java.util.List;

/** A PAK definition an operator must correct; one message per problem, each prefixed with its field. */
public class InvalidPakException extends RuntimeException {

    private final List<String> problems;

    public InvalidPakException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
