package io.nodelock.workflow;

/** Text that a step hands to a user task's form as a process variable. */
public final class TaskText {

    /** The engine stores a text variable of at most 4,000 characters in its string column; longer ones need a blob. */
    static final int LIMIT = 3900;

    private TaskText() {
    }

    /**
     * A history (one heading line, then one line per entry, oldest first) that fits a text variable: the heading and
     * the latest lines are kept, the earlier ones are counted. Longer text would fail the step that sets it.
     */
    public static String fit(String history) {
        if (history.length() <= LIMIT) {
            return history;
        }
        String[] lines = history.split("\n");
        int budget = LIMIT - lines[0].length() - 80;
        int from = lines.length;
        while (from > 1 && budget - lines[from - 1].length() - 1 >= 0) {
            budget -= lines[from - 1].length() + 1;
            from--;
        }
        StringBuilder kept = new StringBuilder(lines[0]).append('\n')
                .append("... ").append(from - 1).append(" earlier lines left out (the device's licenses are in the API)\n");
        for (int i = from; i < lines.length; i++) {
            kept.append(lines[i]).append('\n');
        }
        return kept.toString();
    }
}
