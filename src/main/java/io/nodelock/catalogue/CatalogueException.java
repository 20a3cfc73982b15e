package io.nodelock.catalogue;

import java.util.List;

/**
 * The catalogue could not be loaded. {@link #getMessage()} lists every error, one per line, each naming the
 * source and line, e.g. {@code catalogue.yml line 42: sku FL-X: unknown feature 'ipsrvices' (did you mean 'ipservices'?)}.
 */
public class CatalogueException extends RuntimeException {
    private final List<String> errors;

    public CatalogueException(List<String> errors) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        this.errors = List.copyOf(errors);
    }

    /** Every error found, in file order. */
    public List<String> errors() {
        return errors;
    }
}
