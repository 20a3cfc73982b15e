package io.nodelock.licensefile;

import java.util.List;

/** Per-line outcome of verifying a whole license file, in file order, including lines that did not parse. */
public record FileVerification(List<LineResult> results) {

    public FileVerification {
        results = List.copyOf(results);
    }

    /** Lines that passed every check, i.e. what a device may install. */
    public List<LicenseLine> accepted() {
        return results.stream().filter(r -> r.verification().ok()).map(LineResult::line).toList();
    }

    public List<LineResult> rejected() {
        return results.stream().filter(r -> !r.verification().ok()).toList();
    }

    public boolean allOk() {
        return results.stream().allMatch(r -> r.verification().ok());
    }

    /** One non-comment line: {@code line} is null when the text did not parse (status MALFORMED). */
    public record LineResult(int lineNumber, LicenseLine line, Verification verification) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + verification.status() + ": " + verification.message();
        }
    }
}
