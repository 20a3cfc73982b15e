package io.nodelock.account;

/** Account roles; staff roles map one to one onto engine groups so Tasklist and Cockpit see the same people. */
public enum Role {
    CUSTOMER("nodelock-customers"),
    OPERATOR("nodelock-operators"),
    TAC("tac-approvers"),
    ADMIN("operaton-admin");

    private final String engineGroup;

    Role(String engineGroup) {
        this.engineGroup = engineGroup;
    }

    /** The Operaton group of this role; customers' group may only start the models they are entitled to. */
    public String engineGroup() {
        return engineGroup;
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
