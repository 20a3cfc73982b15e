package io.nodelock.account;

/** Account roles; staff roles map one to one onto engine groups so Tasklist and Cockpit see the same people. */
public enum Role {
    CUSTOMER(null, "Customers"),
    OPERATOR("nodelock-operators", "Operators"),
    TAC("tac-approvers", "TAC approvers"),
    /** Second approvers of large or repeated license extensions, and where overdue TAC tasks escalate to. */
    TAC_LEAD("tac-leads", "TAC leads"),
    ADMIN("operaton-admin", "Administrators");

    private final String engineGroup;
    private final String displayName;

    Role(String engineGroup, String displayName) {
        this.engineGroup = engineGroup;
        this.displayName = displayName;
    }

    /** The group's name as Tasklist and Admin show it. */
    public String displayName() {
        return displayName;
    }

    /**
     * The Operaton group of this staff role; {@code null} for customers, who never hold engine identities (an engine
     * user allowed to start a model can start it at any activity).
     */
    public String engineGroup() {
        return engineGroup;
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
