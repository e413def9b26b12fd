package io.warmstream.local.chaos;

/** The faults the harness injects; names as they appear in the report. */
public enum FaultKind {
    /** {@code kill -9} of a trainer while it trains a job (a STARTED run event without its end). */
    KILL_TRAINER("kill_trainer"),
    /** {@code kill -9} of the merger just after a checkpoint arrived, while it fetches and folds it. */
    KILL_MERGER_FOLD("kill_merger_fold"),
    /** {@code kill -9} of the merger between producing a version and committing its transaction. */
    KILL_MERGER_TRANSACTION("kill_merger_transaction"),
    /** {@code kill -9} of one scorer while its client is sending requests. */
    KILL_SCORER("kill_scorer"),
    /** {@code kill -9} of ingest while a batch of labels is in flight. */
    KILL_INGEST("kill_ingest"),
    /** The broker stopped and started again on the same port and log directory, under live services. */
    BROKER_RESTART("broker_restart"),
    /** The schema registry refuses connections for the outage duration. */
    REGISTRY_OUTAGE("registry_outage"),
    /** The checkpoint store cannot be written for the outage duration. */
    STORE_UNWRITABLE("store_unwritable");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind named {@code label} (as in the report, e.g. {@code kill_scorer}). */
    public static FaultKind of(String label) {
        for (FaultKind k : values()) {
            if (k.label.equalsIgnoreCase(label.strip()) || k.name().equalsIgnoreCase(label.strip())) return k;
        }
        throw new IllegalArgumentException("unknown fault kind '" + label + "'; known: "
                + java.util.Arrays.stream(values()).map(FaultKind::label).toList());
    }

    public boolean isKill() {
        return name().startsWith("KILL_");
    }
}
